import datetime

from django.urls import reverse

from tests.pages import shows_code


def test_the_member_check_of_the_binding_wizard_is_limited_per_citizen(client, alice, make_person, settings):
    settings.PERSON_LOOKUP_LIMIT = 3
    client.force_login(alice)
    client.post(reverse("sharing:bind_relation"), {"relation": "child"})
    for i in range(3):
        response = client.post(reverse("sharing:bind_member"), {"name": f"王{i}", "certno": alice.person.certno})
        assert not shows_code(response, "LOOKUP_THROTTLED")
    child = make_person(name="王小川", birth=datetime.date(2014, 9, 1), insutype="390")
    response = client.post(reverse("sharing:bind_member"), {"name": child.name, "certno": child.certno})
    assert response.status_code == 200 and shows_code(response, "LOOKUP_THROTTLED")


def test_the_limit_is_per_citizen(client, alice, bob, make_person, settings):
    settings.PERSON_LOOKUP_LIMIT = 1
    child = make_person(name="王小川", birth=datetime.date(2014, 9, 1), insutype="390")
    client.force_login(alice)
    client.post(reverse("sharing:bind_relation"), {"relation": "child"})
    client.post(reverse("sharing:bind_member"), {"name": "王某", "certno": child.certno})
    client.force_login(bob)
    client.post(reverse("sharing:bind_relation"), {"relation": "child"})
    response = client.post(reverse("sharing:bind_member"), {"name": child.name, "certno": child.certno})
    assert response.status_code == 302

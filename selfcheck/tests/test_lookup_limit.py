from django.urls import reverse

from tests.pages import shows_code


def test_looking_up_people_outside_the_family_in_the_self_check_is_limited_per_citizen(client, alice, dave, settings):
    settings.PERSON_LOOKUP_LIMIT = 2
    client.force_login(alice)
    body = {"situation": "member_cannot_use", "name": dave.person.name, "certno": dave.person.certno}
    for _ in range(2):
        assert "LOOKUP_THROTTLED" not in client.post(reverse("selfcheck:check"), body).text
    response = client.post(reverse("selfcheck:check"), body)
    assert shows_code(response, "LOOKUP_THROTTLED")

from django.urls import reverse

from tests.pages import shows_code


def test_adding_family_members_is_limited_per_citizen_like_every_person_look_up(client, alice, charlie, settings):
    settings.PERSON_LOOKUP_LIMIT = 2
    client.force_login(alice)
    body = {"relation": "child", "member_name": "别人", "member_certno": charlie.certno}
    for _ in range(2):
        assert shows_code(client.post(reverse("family:add"), body), "MEMBER_IDENTITY_MISMATCH")
    response = client.post(reverse("family:add"), {**body, "member_name": charlie.name})
    assert response.status_code == 200 and shows_code(response, "LOOKUP_THROTTLED")

from django.urls import reverse


def test_adding_family_members_is_limited_per_citizen_like_every_person_look_up(client, alice, charlie, settings):
    settings.PERSON_LOOKUP_LIMIT = 2
    client.force_login(alice)
    body = {"relation": "child", "member_name": "别人", "member_certno": charlie.certno}
    for _ in range(2):
        assert "MEMBER_IDENTITY_MISMATCH" in client.post(reverse("family:add"), body).text
    response = client.post(reverse("family:add"), {**body, "member_name": charlie.name})
    assert response.status_code == 200 and "LOOKUP_THROTTLED" in response.text

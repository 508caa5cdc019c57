"""A hall counter PC is shared: no page with personal data and no API reply may be kept by a browser or proxy."""

import json

import pytest


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("url", ["/accounts/me/", "/money/spending/", "/money/spending.csv", "/money/paid-for-me/",
                                 "/notifications/", "/sharing/", "/why-sharing-failed/", "/"])
def test_pages_of_a_logged_in_citizen_are_never_stored(client, alice, url):
    client.force_login(alice)
    response = client.get(url, follow=False)
    assert response.status_code < 500
    assert _no_store(response), (url, response.get("Cache-Control"))


def test_the_hall_workspace_and_the_admin_are_never_stored(client, hall_staff, django_user_model):
    client.force_login(hall_staff)
    assert _no_store(client.get("/hall/"))
    admin = django_user_model.objects.create_superuser(username="root_t", password="Correct-Horse-42")
    client.force_login(admin)
    assert _no_store(client.get("/admin/"))


def test_login_and_registration_pages_are_never_stored(client):
    assert _no_store(client.get("/accounts/login/"))
    assert _no_store(client.get("/accounts/register/"))


def test_every_api_reply_is_never_stored(client, alice):
    from settlement.keys import api_key_issue
    from settlement.models import Institution

    institution = Institution.objects.create(fixmedins_code="H32030200091", name="测试医院", region_id="320300")
    key = api_key_issue(institution=institution)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    replies = [
        client.get(f"/api/v1/patients/{alice.person.certno}", **auth),
        client.get("/api/v1/patients/110101199001011234"),  # no key
        client.post("/api/v1/settlements", data=json.dumps({}), content_type="application/json", **auth),
        client.get("/api/v1/nowhere", **auth),
    ]
    for response in replies:
        assert response["Content-Type"].startswith("application/json")
        assert _no_store(response), (response.status_code, response.get("Cache-Control"))

"""Institutions' balance enquiries: audited one by one, limited per key, and a spike of refusals alerts officials."""

import datetime

import pytest

from audit.models import AuditEvent
from registry import idnumber
from settlement.models import ApiKeyAlert


def unknown(i):
    return idnumber.make("320302", datetime.date(1980, 1, 1) + datetime.timedelta(days=i), 11)


def test_every_balance_enquiry_is_audited_with_the_institution_and_key(api, bob, institution):
    status, _ = api.get(f"patients/{bob.person.certno}")
    assert status == 200
    event = AuditEvent.objects.get(event="balance_enquiry")
    assert (event.subject_type, event.subject_id, event.channel) == ("registry.insuredperson", str(bob.person.pk), "api")
    assert event.after["institution"] == institution.fixmedins_code and api.key.startswith(
        f"gjt_{event.after['api_key']}_")


@pytest.mark.parametrize("number", ["320302198001010011", "12345"])
def test_a_refused_enquiry_is_audited_too(api, db, number):
    status, body = api.get(f"patients/{number}")
    assert status in {400, 404}
    event = AuditEvent.objects.get(event="balance_enquiry_refused")
    assert event.subject_type == "settlement.apikey" and event.after["code"] == body["code"]
    assert number not in str(event.after)  # the number tried is not copied into the trail


def test_enquiries_are_limited_per_key(api, bob, institution, settings, client):
    from settlement.keys import api_key_issue

    settings.API_ENQUIRIES_PER_MINUTE = 3
    for _ in range(3):
        assert api.get(f"patients/{bob.person.certno}")[0] == 200
    response = client.get(f"/api/v1/patients/{bob.person.certno}", HTTP_AUTHORIZATION=f"Bearer {api.key}")
    assert response.status_code == 429 and response.json()["code"] == "RATE_LIMITED" and response["Retry-After"]
    other = api_key_issue(institution=institution)[1]
    assert api.get(f"patients/{bob.person.certno}", key=other)[0] == 200


def test_a_spike_of_refusals_from_one_key_raises_one_alert_officials_see(api, db, settings, admin_client):
    settings.API_REFUSAL_ALERT_THRESHOLD = 5
    for i in range(4):
        assert api.get(f"patients/{unknown(i)}")[0] == 404
    assert not ApiKeyAlert.objects.exists()
    for i in range(4, 9):
        api.get(f"patients/{unknown(i)}")
    alert = ApiKeyAlert.objects.get()
    assert alert.refusals == 5 and api.key.startswith(f"gjt_{alert.api_key.prefix}_")
    page = admin_client.get("/admin/settlement/apikeyalert/")
    assert page.status_code == 200 and alert.api_key.prefix in page.text


def test_refused_settlements_count_towards_the_alert_as_well(api, bob, settings):
    settings.API_REFUSAL_ALERT_THRESHOLD = 3
    for i in range(3):
        api.settle(bob.person, "1.999", request_id=f"bad{i}")
    assert ApiKeyAlert.objects.count() == 1

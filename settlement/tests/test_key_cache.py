"""The settlement endpoint's per-process API key cache (settlement.keys.api_key_cached): a cached key saves the key
lookup, but its validity is re-checked inside the settlement's transaction, so a key revoked anywhere (another
process, the admin, a plain UPDATE) is refused on the very next request, and nothing is settled with it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from settlement import keys
from settlement.models import Settlement


def _body(person, request_id="k-1", **extra):
    return {"request_id": request_id, "mdtrt_cert_type": "02", "mdtrt_cert_no": person.certno, "amount": "10.00",
            "category": "pharmacy", **extra}


@pytest.fixture
def warm(api, bob):
    """A first settlement puts the key in this process's cache."""
    keys._cache.clear()
    assert api.post("settlements", _body(bob.person, "warm"))[0] == 201
    assert keys._hash(api.key) in keys._cache
    yield
    keys._cache.clear()


def test_a_cached_key_is_not_looked_up_again(api, bob, warm):
    with CaptureQueriesContext(connection) as queries:
        assert api.post("settlements", _body(bob.person))[0] == 201
    assert not any('FROM "settlement_apikey"' in q["sql"] for q in queries.captured_queries)


def test_a_key_revoked_behind_the_cache_is_refused_at_the_next_request(api, bob, institution, warm):
    # As another process (or an official in the admin) would: nothing tells this process's cache.
    institution.api_keys.update(revoked_at=timezone.now())
    status, body = api.post("settlements", _body(bob.person))
    assert status == 401 and body["code"] == "UNAUTHORIZED"
    assert not Settlement.objects.filter(request_id="k-1").exists()
    assert keys._hash(api.key) not in keys._cache
    assert api.post("settlements", _body(bob.person))[0] == 401


def test_an_institution_deactivated_behind_the_cache_is_refused(api, bob, institution, warm):
    institution.active = False
    institution.save()
    assert api.post("settlements", _body(bob.person))[0] == 401
    assert not Settlement.objects.filter(request_id="k-1").exists()


def test_a_renamed_institution_is_read_again_not_refused(api, bob, institution, warm):
    institution.name = "徐州市中心医院"
    institution.save()
    status, reply = api.post("settlements", _body(bob.person))
    assert status == 201
    assert keys._cache[keys._hash(api.key)].institution.name == "徐州市中心医院"
    assert Settlement.objects.get(request_id="k-1").institution_id == institution.pk


def test_bad_input_with_a_revoked_cached_key_is_401_not_400(api, bob, institution, warm):
    institution.api_keys.update(revoked_at=timezone.now())
    status, body = api.post("settlements", {}, raw=json.dumps(_body(bob.person, amount="12.345")))
    assert status == 401


def test_an_unknown_patient_with_a_revoked_cached_key_is_401_not_404(api, institution, warm):
    institution.api_keys.update(revoked_at=timezone.now())
    status, _ = api.post("settlements", {"request_id": "k-1", "mdtrt_cert_type": "02",
                                         "mdtrt_cert_no": "11010519491231002X", "amount": "10.00",
                                         "category": "pharmacy"})
    assert status == 401


def test_a_replay_with_a_revoked_cached_key_is_401(api, bob, institution, warm):
    status, reply = api.post("settlements", _body(bob.person))
    assert status == 201
    institution.api_keys.update(revoked_at=timezone.now())
    assert api.post("settlements", _body(bob.person))[0] == 401


def test_an_insurance_code_with_a_revoked_cached_key_is_401_and_the_code_stays_unused(api, alice, charlie,
                                                                                      institution, warm):
    from family.models import FamilyMembership
    from family.tokens import token_issue

    FamilyMembership.objects.create(holder=alice.person, member=charlie, relation="child", status="active")
    token = token_issue(holder=alice.person, member=charlie).token
    institution.api_keys.update(revoked_at=timezone.now())
    body = {"request_id": "t-1", "mdtrt_cert_type": "01", "mdtrt_cert_no": token, "amount": "5.00",
            "category": "pharmacy"}
    assert api.post("settlements", body)[0] == 401
    institution.api_keys.update(revoked_at=None)
    assert api.post("settlements", body)[0] == 201


# --- refunds and the patient enquiry use the same cache, re-checked in their first statement ----------------------


def _settled(api, bob):
    status, reply = api.post("settlements", _body(bob.person, "to-refund", amount="40.00"))
    assert status == 201
    return reply["settlement_id"]


def _refund(api, sid, request_id="f-1", amount="10.00"):
    return api.post(f"settlements/{sid}/refunds", {"request_id": request_id, "amount": amount})


def test_a_cached_key_is_not_looked_up_again_by_a_refund_or_an_enquiry(api, bob, warm):
    sid = _settled(api, bob)
    with CaptureQueriesContext(connection) as queries:
        assert _refund(api, sid)[0] == 201
        assert api.get(f"patients/{bob.person.certno}")[0] == 200
        assert api.get(f"patients/{bob.person.certno}?mdtrt_cert_type=09")[0] == 400
    assert not any('FROM "settlement_apikey"' in q["sql"] for q in queries.captured_queries)


def test_a_refund_with_a_key_revoked_behind_the_cache_is_refused_and_refunds_nothing(api, bob, institution, warm):
    from settlement.models import Refund

    sid = _settled(api, bob)
    institution.api_keys.update(revoked_at=timezone.now())
    status, body = _refund(api, sid)
    assert status == 401 and body["code"] == "UNAUTHORIZED"
    assert not Refund.objects.exists() and Settlement.objects.get(pk=sid).refunded == 0
    assert keys._hash(api.key) not in keys._cache
    assert _refund(api, sid)[0] == 401


def test_a_refund_for_a_deactivated_institution_is_refused(api, bob, institution, warm):
    sid = _settled(api, bob)
    institution.active = False
    institution.save()
    assert _refund(api, sid)[0] == 401
    assert Settlement.objects.get(pk=sid).refunded == 0


def test_a_renamed_institution_refunds_under_its_new_name(api, bob, institution, warm):
    from ledger.models import LedgerEntry

    sid = _settled(api, bob)
    institution.name = "徐州市中心医院"
    institution.save()
    assert _refund(api, sid)[0] == 201
    assert LedgerEntry.objects.get(kind="refund").memo == "徐州市中心医院 refund"


@pytest.mark.parametrize("case", ["unknown settlement", "bad input", "replay", "exceeds"])
def test_a_refund_with_a_revoked_cached_key_is_401_whatever_else_is_wrong(api, bob, institution, warm, case):
    sid = _settled(api, bob)
    if case == "replay":
        assert _refund(api, sid)[0] == 201
    institution.api_keys.update(revoked_at=timezone.now())
    target, amount = {"unknown settlement": ("6b1f6c1e-0000-4000-8000-000000000000", "1.00"),
                      "bad input": (sid, "1.001"), "replay": (sid, "10.00"), "exceeds": (sid, "40.01")}[case]
    assert _refund(api, target, amount=amount)[0] == 401


@pytest.mark.parametrize("path", ["patients/{certno}", "patients/11010519491231002X", "patients/123",
                                  "patients/{certno}?mdtrt_cert_type=09", "patients/abc:def?mdtrt_cert_type=01"])
def test_an_enquiry_with_a_key_revoked_behind_the_cache_is_401_and_counts_and_audits_nothing(
        api, bob, institution, warm, path):
    from accounts.models import RateCounter
    from audit.models import AuditEvent

    assert api.get(f"patients/{bob.person.certno}")[0] == 200  # the enquiry path has seen the key valid
    counted = list(RateCounter.objects.filter(scope="api-enquiry").values_list("count", flat=True))
    events = AuditEvent.objects.count()
    institution.api_keys.update(revoked_at=timezone.now())
    status, body = api.get(path.format(certno=bob.person.certno))
    assert status == 401 and body["code"] == "UNAUTHORIZED"
    assert list(RateCounter.objects.filter(scope="api-enquiry").values_list("count", flat=True)) == counted
    assert AuditEvent.objects.count() == events
    assert keys._hash(api.key) not in keys._cache


def test_an_enquiry_for_a_deactivated_institution_is_refused(api, bob, institution, warm):
    assert api.get(f"patients/{bob.person.certno}")[0] == 200
    institution.active = False
    institution.save()
    assert api.get(f"patients/{bob.person.certno}")[0] == 401

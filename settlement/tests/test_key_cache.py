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

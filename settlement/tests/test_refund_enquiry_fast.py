"""Refunds and the patient enquiry in fixed statements (settlement/refunds.py, settlement.loaders.enquiry_load;
docs/refunds-fast.md): their statement budgets, and the same rows and replies the ORM path gave."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from settlement import keys

# A partial refund paying back two accounts: the test's savepoint pair, the settlement lock with the key's re-check
# and the stored refund, the payments with their accounts locked, and the one write (was 25, with the key lookup).
REFUND_BUDGET = 5
REFUND_QUOTA_BUDGET = 6  # + the lock of the open quota a payment drew on
REFUND_REPLAY_BUDGET = 3  # savepoints + the first statement (was 5)
# The enquiry: one statement counts it, re-checks the key and reads the patient and who could pay; one audit row
# (was 9: key, count, patient, audit, family holders, bindings, suspended, quotas, policies).
ENQUIRY_BUDGET = 2


@pytest.fixture
def warm(api):
    keys._cache.clear()
    yield
    keys._cache.clear()


def _refund(api, sid, request_id, amount):
    return api.post(f"settlements/{sid}/refunds", {"request_id": request_id, "amount": amount})


def test_refunds_stay_within_their_statement_budget(api, two_sharers, warm, django_assert_max_num_queries):
    sid = api.settle(two_sharers, "600.00", request_id="s")[1]["settlement_id"]  # own 50, bob 500, alice 50
    with django_assert_max_num_queries(REFUND_BUDGET):
        status, body = _refund(api, sid, "r1", "100.00")
    assert status == 201 and [p["amount"] for p in body["payers"]] == ["50.00", "50.00"]
    with django_assert_max_num_queries(REFUND_REPLAY_BUDGET):
        assert _refund(api, sid, "r1", "100.00") == (200, body)
    with django_assert_max_num_queries(REFUND_BUDGET):
        assert _refund(api, sid, "r2", "500.00")[0] == 201  # the rest: a full refund of what is left


def test_a_refund_into_a_quota_stays_within_its_budget(api, bind, make_citizen, make_person, warm,
                                                       django_assert_max_num_queries):
    from sharing.quotas import quota_add

    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="2000.00", mobile="13800000011")
    father = make_person(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                         insutype="390")
    quota_add(binding=bind(son, father, "parent"), amount=Decimal("300.00"), actor=son)
    sid = api.settle(father, "100.00")[1]["settlement_id"]
    with django_assert_max_num_queries(REFUND_QUOTA_BUDGET):
        status, body = _refund(api, sid, "q1", "40.00")
    assert status == 201 and [p["source"] for p in body["payers"]] == ["quota"]


def test_the_enquiry_stays_within_its_statement_budget(api, two_sharers, warm, django_assert_max_num_queries):
    assert api.get(f"patients/{two_sharers.certno}")[0] == 200
    with django_assert_max_num_queries(ENQUIRY_BUDGET):
        status, body = api.get(f"patients/{two_sharers.certno}")
    assert status == 200 and len(body["authorizers"]) == 2


def test_a_refund_locks_the_settlement_then_the_accounts_in_id_order(api, two_sharers, warm):
    sid = api.settle(two_sharers, "600.00", request_id="s")[1]["settlement_id"]
    with CaptureQueriesContext(connection) as queries:
        assert _refund(api, sid, "r1", "600.00")[0] == 201
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert "FROM settlement_settlement s0" in locks[0] and "FOR UPDATE) s ON true" in locks[0]
    assert "ORDER BY a.id FOR UPDATE OF a" in locks[1]


def test_the_one_refund_write_leaves_the_rows_the_orm_wrote(api, make_citizen, bind, dave, warm):
    """Patient in 南京 (320100), institution in 徐州 (320300): the audit event carries both regions."""
    from audit.models import AuditEvent
    from ledger.models import LedgerEntry, PersonalAccount
    from settlement.models import Payment, Refund, RefundLine, Settlement

    child = make_citizen(name="赵小", birth=datetime.date(2005, 1, 1), address="320102", region="320100",
                         balance="30.00", mobile="13700000021")
    bind(dave, child.person, "child")
    sid = api.settle(child.person, "200.00", request_id="s")[1]["settlement_id"]  # own 30, dave 100, cash 70
    status, body = _refund(api, sid, "r1", "120.00")  # cash 70 back, then dave 50
    assert status == 201 and (body["cash_refund"], body["acct_mulaid_refund"], body["acct_refund"]) == (
        "70.00", "50.00", "0.00")
    refund = Refund.objects.get()
    assert refund.reply == body and refund.amount == Decimal("120.00") and str(refund.pk) == body["refund_id"]
    line = RefundLine.objects.select_related("ledger_entry", "payment").get()
    assert line.refund_id == refund.pk and line.amount == Decimal("50.00") and line.payment.source == "shared"
    entry = line.ledger_entry
    assert (entry.kind, entry.amount, entry.reference, entry.account_id) == (
        LedgerEntry.Kind.REFUND, Decimal("50.00"), sid, line.payment.account_id)
    assert entry.memo == "徐州市第一人民医院 refund" and entry.balance_after == Decimal("50.00")
    assert PersonalAccount.objects.get(person=dave.person).balance == Decimal("50.00")
    assert sorted(Payment.objects.values_list("source", "refunded")) == [("own", Decimal("0.00")),
                                                                        ("shared", Decimal("50.00"))]
    assert Settlement.objects.get(pk=sid).refunded == Decimal("120.00")
    event = AuditEvent.objects.get(event="settlement.refund")
    assert (event.subject_type, event.subject_id, event.actor_label, event.channel) == (
        "settlement.refund", str(refund.pk), "system", "api")
    assert (event.region_id, event.other_region_id) == ("320100", "320300")
    assert event.after == {**body, "institution": "H32030200090"} and event.chain_hash
    # The rest: the own account last.
    status, body = _refund(api, sid, "r2", "80.00")
    assert [(p["source"], p["amount"]) for p in body["payers"]] == [("shared", "50.00"), ("own", "30.00")]
    assert [line.ledger_entry_id for line in RefundLine.objects.order_by("id")] == sorted(
        LedgerEntry.objects.filter(kind="refund").values_list("id", flat=True))
    call_command("verify_ledger")
    call_command("verify_audit")


def test_the_enquiry_answers_what_the_orm_path_answers(api, alice, bob, make_citizen, make_person, bind, warm):
    """Quota, live balance, suspended binding, family account holder, no own account: the one statement's reply
    equals services.patient_summary reading everything with the ORM (the path an insurance code still takes)."""
    from family.models import FamilyMembership
    from registry.models import InsuredPerson
    from settlement.services import patient_summary
    from sharing.quotas import quota_add

    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="2000.00", mobile="13800000011")
    daughter = make_citizen(name="孙梅", birth=datetime.date(1978, 2, 2), address="130102", region="130100",
                            balance="1000.00", mobile="13800000013", sex="F")
    father = make_person(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                         insutype="390")
    quota_add(binding=bind(son, father, "parent"), amount=Decimal("300.00"), actor=son)
    bind(daughter, father, "parent")
    api.settle(father, "120.00")  # the quota has 180.00 left
    child = make_citizen(name="王一", birth=datetime.date(2003, 1, 1), balance="50.00", mobile="13700000001")
    suspended = bind(bob, child.person, "child")
    suspended.status = "suspended"
    suspended.save(update_fields=["status"])
    bind(alice, child.person, "child")
    FamilyMembership.objects.create(holder=bob.person, member=child.person, relation="parent", status="active")
    for person in (father, child.person, alice.person, make_person(name="无人", insutype="390")):
        status, body = api.get(f"patients/{person.certno}")
        fresh = InsuredPerson.objects.select_related("region", "account").get(pk=person.pk)
        assert status == 200 and body == patient_summary(patient=fresh), person.name
    assert api.get(f"patients/{father.certno}")[1]["authorizers"][0]["payable"] == "180.00"


def test_a_rate_limited_enquiry_still_counts_in_the_shared_counter(api, bob, settings, warm):
    from accounts.throttle import count
    from settlement.enquiries import ENQUIRY_WINDOW
    from settlement.models import ApiKey

    settings.API_ENQUIRIES_PER_MINUTE = 2
    assert [api.get(f"patients/{bob.person.certno}")[0] for _ in range(3)] == [200, 200, 429]
    assert api.get("patients/123")[0] == 429  # bad input is counted (and limited) too, as before
    prefix = ApiKey.objects.get().prefix
    assert count("api-enquiry", prefix, window=ENQUIRY_WINDOW) == 4


@pytest.mark.parametrize("path", ["patients/{certno}", "patients/11010519491231002X"])
def test_the_enquiry_audit_row_is_the_one_audit_record_writes(api, bob, institution, path):
    """Every field but the id, time and chain equals what audit.services.audit_record writes for the same event."""
    from django.forms.models import model_to_dict

    from audit.models import AuditEvent
    from audit.services import audit_record
    from settlement.models import ApiKey

    api.get(path.format(certno=bob.person.certno))
    written = AuditEvent.objects.get(event__startswith="balance_enquiry")
    subject = bob.person if written.event == "balance_enquiry" else ApiKey.objects.get()
    reference = audit_record(actor=None, subject=subject, event=written.event, after=written.after, channel="api")
    reference.refresh_from_db()
    skip = {"id", "created_at", "chain_seq", "prev_hash", "chain_hash"}
    assert {k: v for k, v in model_to_dict(written).items() if k not in skip} == {
        k: v for k, v in model_to_dict(reference).items() if k not in skip}
    assert written.chain_seq and written.chain_hash
    call_command("verify_audit")

"""Statement budgets of the settlement API, so that throughput (bench/README.md) cannot quietly regress.

One settlement with the patient's own account and two sharing authorizers, 6 statements (docs/settle-fast.md):
the API key (read once per process, then cached: its validity is re-checked inside the loader), the test's
savepoint pair around the transaction, and inside it: one loader statement (key still valid, patient with region
and own account, family holders, suspended bindings, the active bindings locked with their authorizers, accounts
and the policies in force), one lock of all accounts, and one write (settlement/writers.py: the settlement row
with its reply, the ledger entries, the payments, the notifications and the audit row as CTEs of one INSERT).
No quota lock (no binding here shares through a quota), no stored-reply check before it, no policy query per
binding. It was 38, then 19, before.

A replay of the same request_id has no stored-reply check first either: it runs the loader and the lock, fails
on the unique (institution, request_id) index at the write, rolls back and answers the stored reply (7 with the
savepoints; it was 2 with the pre-check that every new settlement paid for).
"""

from decimal import Decimal

import pytest

from ledger.models import LedgerEntry, PersonalAccount

SETTLEMENT_BUDGET = 6
REPLAY_BUDGET = 7


def test_one_settlement_with_two_sharing_payers_stays_within_the_statement_budget(
        api, two_sharers, django_assert_max_num_queries):
    with django_assert_max_num_queries(SETTLEMENT_BUDGET):
        status, body = api.settle(two_sharers, "600.00", request_id="budget")
    assert status == 201 and [p["source"] for p in body["payers"]] == ["own", "shared", "shared"]
    with django_assert_max_num_queries(REPLAY_BUDGET):
        assert api.settle(two_sharers, "600.00", request_id="budget") == (200, body)


def test_the_ledger_trigger_applies_each_row_of_the_one_insert(api, two_sharers):
    status, body = api.settle(two_sharers, "600.00")
    entries = list(LedgerEntry.objects.filter(reference=body["settlement_id"]).select_related("account"))
    assert sorted(e.amount for e in entries) == [Decimal("-500.00"), Decimal("-50.00"), Decimal("-50.00")]
    for entry in entries:
        assert entry.balance_after == entry.account.balance
        assert sum(entry.account.entries.values_list("amount", flat=True)) == entry.account.balance


def test_an_entry_that_would_overdraw_is_refused_as_insufficient_balance(alice, institution):
    from django.db import transaction

    from ledger.services import InsufficientBalance
    from settlement.models import Settlement
    from settlement.writers import audit_of, settlement_write

    account = PersonalAccount.objects.get(person=alice.person)
    settlement = Settlement(institution=institution, request_id="over", request_hash="0" * 64, patient=alice.person,
                            category="pharmacy", amount=Decimal("3000.01"), acct_pay=Decimal("3000.01"),
                            acct_mulaid_pay=Decimal("0.00"), cash_pay=Decimal("0.00"), reply={})
    with pytest.raises(InsufficientBalance), transaction.atomic():  # as in _settle: the transaction rolls back
        settlement_write(settlement=settlement, parts=[(account, alice.person, "own", None, "self",
                                                        Decimal("3000.01"), None)],
                         notifications=[], link="", memo="x", audit=audit_of(settlement, after={}))
    account.refresh_from_db()
    assert account.balance == Decimal("3000.00")
    assert not Settlement.objects.filter(request_id="over").exists()


def test_the_one_write_leaves_the_rows_the_orm_wrote(api, two_sharers):
    from django.core.management import call_command
    from django.urls import reverse

    from audit.models import AuditEvent
    from notifications.models import Notification
    from settlement.models import Payment, Settlement

    before = set(Notification.objects.values_list("pk", flat=True))
    status, body = api.settle(two_sharers, "600.00")
    settlement = Settlement.objects.get(pk=body["settlement_id"])
    assert settlement.reply == body and settlement.refunded == 0 and settlement.acct_mulaid_pay == Decimal("550.00")
    payments = list(settlement.payments.select_related("ledger_entry").order_by("id"))
    assert [p.source for p in payments] == [Payment.Source.OWN, Payment.Source.SHARED, Payment.Source.SHARED]
    for payment in payments:
        assert payment.ledger_entry.account_id == payment.account_id
        assert payment.ledger_entry.amount == -payment.amount and payment.member_id == two_sharers.pk
    payers = [p.payer_id for p in payments[1:]]
    notes = Notification.objects.exclude(pk__in=before)
    assert sorted(n.recipient_id for n in notes) == sorted(payers)
    assert all(n.link == reverse("money:spending") and n.read_at is None for n in notes)
    assert all("王一" in n.title and n.message["title"] and "徐州市第一人民医院" in n.body for n in notes)
    assert sorted("¥500.00" in n.body for n in notes) == [False, True]
    event = AuditEvent.objects.get(subject_type="settlement.settlement", subject_id=str(settlement.pk))
    assert event.event == "settlement.create" and event.after["institution"] == "H32030200090"
    assert event.chain_seq and event.chain_hash and event.actor_label == "system"
    call_command("verify_audit")


def test_the_notes_are_logged_by_the_one_write_within_the_same_budget(
        api, alice, charlie, bind, django_assert_max_num_queries):
    # The refusal log's entries of a settlement's notes are a CTE of the write (settlement/writers.py), no INSERT of
    # their own: a settlement with notes costs what one without does.
    from audit.models import RefusalEntry
    from family.models import FamilyMembership

    binding = bind(alice, charlie)
    binding.status = "suspended"
    binding.save(update_fields=["status"])
    FamilyMembership.objects.create(holder=alice.person, member=charlie, relation="child", status="active")
    with django_assert_max_num_queries(SETTLEMENT_BUDGET - 1):  # no own account, so no account lock either
        status, body = api.settle(charlie, "5.00", request_id="noted")
    codes = [n["code"] for n in body["notes"]]
    assert status == 201 and codes
    entries = list(RefusalEntry.objects.filter(channel="api").order_by("id").values_list("code", "region_id"))
    assert entries == [(code, charlie.region_id) for code in codes]
    # A replay writes nothing again (the statement fails on the request_id index as a whole).
    assert api.settle(charlie, "5.00", request_id="noted") == (200, body)
    assert RefusalEntry.objects.filter(channel="api").count() == len(codes)


def test_a_settlement_without_notes_logs_nothing(api, two_sharers):
    from audit.models import RefusalEntry

    status, body = api.settle(two_sharers, "600.00")
    assert status == 201 and body["notes"] == [] and not RefusalEntry.objects.exists()

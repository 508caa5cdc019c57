"""Statement budgets of the settlement API, so that throughput (bench/README.md) cannot quietly regress.

One settlement with the patient's own account and two sharing authorizers, 10 statements (docs/settle-fast.md):
the API key (read once per process, then cached: its validity is re-checked inside the loader), the test's
savepoint pair around the transaction, and inside it: one loader statement (key still valid, patient with region
and own account, family holders, suspended bindings, the active bindings locked with their authorizers, accounts
and the policies in force), one lock of all accounts, the settlement row with its reply, one INSERT of all ledger
entries, one of all payments, one of all notifications, the audit row. No quota lock (no binding here shares
through a quota), no stored-reply check before it, no policy query per binding. It was 38, then 19, before.

A replay of the same request_id has no stored-reply check first either: it runs the loader and the locks, fails
on the unique (institution, request_id) index at the settlement's INSERT, rolls back and answers the stored
reply (7 with the savepoints; it was 2 with the pre-check that every new settlement paid for).
"""

import datetime
from decimal import Decimal

import pytest

from ledger.models import LedgerEntry, PersonalAccount

SETTLEMENT_BUDGET = 10
REPLAY_BUDGET = 7


@pytest.fixture
def two_sharers(alice, bob, make_citizen, bind):
    child = make_citizen(name="王一", birth=datetime.date(2003, 1, 1), balance="50.00", mobile="13700000001")
    bind(bob, child.person, "child")
    bind(alice, child.person, "child")
    return child.person


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


def test_an_entry_that_would_overdraw_is_refused_as_insufficient_balance(alice):
    from django.db import transaction

    from ledger.services import InsufficientBalance
    from settlement.services import _entries_post

    account = PersonalAccount.objects.get(person=alice.person)
    with pytest.raises(InsufficientBalance), transaction.atomic():  # as in _settle: the transaction rolls back
        _entries_post([LedgerEntry(account=account, amount=Decimal("-1.00"), kind="settlement"),
                       LedgerEntry(account=account, amount=Decimal("-3000.00"), kind="settlement")])
    account.refresh_from_db()
    assert account.balance == Decimal("3000.00")

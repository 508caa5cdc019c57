from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from ledger.models import LedgerEntry, PersonalAccount
from ledger.services import InsufficientBalance, entry_post


def _sum(account):
    return sum((e.amount for e in LedgerEntry.objects.filter(account=account)), Decimal("0.00"))


def test_keeps_the_balance_equal_to_the_sum_of_entries(alice):
    account = alice.person.account
    entry_post(account=account, amount=Decimal("120.35"), kind="credit")
    entry = entry_post(account=account, amount=Decimal("-20.00"), kind="settlement")
    account.refresh_from_db()
    assert account.balance == Decimal("3100.35") == _sum(account)
    assert entry.balance_after == Decimal("3100.35")


def test_refuses_an_entry_that_would_overdraw_and_writes_nothing(alice):
    account = alice.person.account
    before = LedgerEntry.objects.filter(account=account).count()
    with pytest.raises(InsufficientBalance):
        entry_post(account=account, amount=Decimal("-3000.01"), kind="settlement")
    account.refresh_from_db()
    assert account.balance == Decimal("3000.00")
    assert LedgerEntry.objects.filter(account=account).count() == before


def test_the_database_refuses_to_change_a_balance_directly(alice):
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalAccount.objects.filter(pk=alice.person.account.pk).update(balance=Decimal("9999.00"))


def test_the_database_refuses_to_update_or_delete_an_entry(alice):
    entry = LedgerEntry.objects.filter(account=alice.person.account).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledger_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_an_account_opened_with_money_outside_the_ledger(make_person):
    person = make_person(insutype="390")
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalAccount.objects.create(person=person, balance=Decimal("10.00"))

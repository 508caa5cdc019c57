"""Every movement of money is a ledger entry; the database applies it to the balance."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from ledger.models import LedgerEntry, PersonalAccount
from registry.models import InsuredPerson

CENT = Decimal("0.01")


class InsufficientBalance(Exception):
    pass


def to_money(value) -> Decimal:
    """Decimal with exactly two places; never goes through float."""
    return Decimal(str(value)).quantize(CENT)


@transaction.atomic
def account_open(*, person: InsuredPerson, opening_balance: Decimal = Decimal("0.00")) -> PersonalAccount:
    account = PersonalAccount.objects.create(person=person)
    if opening_balance:
        entry_post(account=account, amount=opening_balance, kind=LedgerEntry.Kind.OPENING)
    account.refresh_from_db(fields=["balance"])
    return account


def entry_post(*, account: PersonalAccount, amount: Decimal, kind: str, memo: str = "", reference: str = "") -> LedgerEntry:
    """Append an entry; the trigger moves the balance, the check constraint refuses overdrafts."""
    amount = to_money(amount)
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(account=account, amount=amount, kind=kind, memo=memo, reference=reference)
    except IntegrityError as exc:
        if "balance_never_negative" in str(exc):
            raise InsufficientBalance(f"account {account.pk} cannot pay {amount}") from exc
        raise
    entry.refresh_from_db(fields=["balance_after"])
    return entry


class RegistryAccountKeeper:
    """What the registry import needs of the ledger (registered in LedgerConfig.ready; see registry.hooks)."""

    def balances(self, person_ids: list[int]) -> dict[int, Decimal]:
        return dict(PersonalAccount.objects.filter(person_id__in=person_ids).values_list("person_id", "balance"))

    def open(self, *, person: InsuredPerson, opening_balance: Decimal) -> None:
        account_open(person=person, opening_balance=opening_balance)

    def open_many(self, items: list[tuple[InsuredPerson, Decimal]]) -> None:
        """Accounts for many new persons in a few statements (a large registry file): the same rows as
        account_open, the opening entries moving each balance through the ledger trigger."""
        accounts = PersonalAccount.objects.bulk_create([PersonalAccount(person=p) for p, _b in items], batch_size=2000)
        LedgerEntry.objects.bulk_create(
            [LedgerEntry(account=account, amount=to_money(balance), kind=LedgerEntry.Kind.OPENING)
             for account, (_p, balance) in zip(accounts, items, strict=True) if balance], batch_size=2000)

"""Every movement of money is a ledger entry; the database applies it to the balance."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from ledger.models import LedgerEntry, PersonalAccount, Reserve
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


def entry_post(*, account: PersonalAccount, amount: Decimal, kind: str, memo: str = "", reference: str = "",
               reserve: Reserve | None = None) -> LedgerEntry:
    """Append an entry; the trigger moves the balance (the reserve's if one is named, else the account's), the
    check constraints refuse overdrafts."""
    amount = to_money(amount)
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(account=account, amount=amount, kind=kind, memo=memo,
                                               reference=reference, reserve=reserve)
    except IntegrityError as exc:
        if "balance_never_negative" in str(exc) or "reserve_never_negative" in str(exc):
            raise InsufficientBalance(f"account {account.pk} cannot pay {amount}") from exc
        raise
    entry.refresh_from_db(fields=["balance_after"])
    return entry


def reserve_move(*, reserve: Reserve, amount: Decimal, memo: str = "", reference: str = "") -> None:
    """Move `amount` from the account's spendable balance into its reserve (a negative amount moves it back): two
    entries in one transaction, the one taking money out first, so a balance that cannot give it refuses the move.
    The caller holds the locks (account, then reserve)."""
    amount = to_money(amount)
    account = reserve.account
    with transaction.atomic():
        if amount > 0:
            entry_post(account=account, amount=-amount, kind=LedgerEntry.Kind.QUOTA, memo=memo, reference=reference)
            entry_post(account=account, amount=amount, kind=LedgerEntry.Kind.QUOTA, memo=memo, reference=reference,
                       reserve=reserve)
        elif amount < 0:
            entry_post(account=account, amount=amount, kind=LedgerEntry.Kind.QUOTA, memo=memo, reference=reference,
                       reserve=reserve)
            entry_post(account=account, amount=-amount, kind=LedgerEntry.Kind.QUOTA, memo=memo, reference=reference)


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

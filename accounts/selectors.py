import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Subquery, Sum

from core.compiled import compiled
from core.sql import side_by_side
from core.texts import choice_labels, minute_texter, money_text
from ledger.memos import with_memos
from ledger.models import LedgerEntry, PersonalAccount
from registry.models import InsuredPerson

# Placeholders the page's queries are compiled with once per process (core.compiled); no row can have them.
_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000001")
ENTRIES = 10  # latest ledger entries shown


def person_query(person_id):
    return InsuredPerson.objects.select_related("region__province").filter(pk=person_id)


_ACCOUNT_FIELDS = ("pk", "balance", "reserved", "person__region__province__name", "person__region__name")


def account_query(person_id):
    # The balance with what is set aside as sharing quotas (共济额度: still the person's money, no longer spendable by
    # them), and the names of the person's region and province, which the page shows; as values, not models.
    return (PersonalAccount.objects.filter(person_id=person_id)
            .annotate(reserved=Sum("reserves__balance", filter=Q(reserves__closed_at__isnull=True)))
            .order_by("pk").values_list(*_ACCOUNT_FIELDS)[:1])


_ENTRY_FIELDS = ("pk", "kind", "amount", "balance_after", "memo", "reference", "created_at")


def person_entries_query(person_id, entries: int = ENTRIES):
    """The latest entries of the person's account (not its quotas'), the account found in the same statement
    (`account_id = (SELECT …)`: looked up first, then the entries walk `ledger_account_latest` newest first)."""
    account = PersonalAccount.objects.filter(person_id=person_id).values("pk")[:1]
    return (LedgerEntry.objects.filter(account_id=Subquery(account), reserve__isnull=True).order_by("-id")
            .values_list(*_ENTRY_FIELDS)[:entries])


@dataclass(slots=True)
class Account:
    """The personal account as the summary shows it."""

    pk: int
    balance: Decimal
    reserved: Decimal | None


@dataclass(slots=True)
class Entry:
    """A ledger entry as the entries table shows it: read as values (a page of model instances cost more than
    reading them), with the shown texts computed once per page (core.texts) and its memo (ledger.memos)."""

    pk: int
    kind: str
    amount: Decimal
    balance_after: Decimal | None
    memo: str
    reference: str
    created_at: datetime.datetime
    when: str = ""
    kind_label: str = ""
    amount_text: str = ""
    balance_text: str = ""
    memo_shown: str = ""


_person = compiled(person_query, person_id=_PERSON)
_account = compiled(account_query, person_id=_PERSON)
_person_entries: dict = {}  # per number of entries shown


def _shown(entries: list[Entry]) -> list[Entry]:
    """Each entry with what the entries table shows, computed once per page (core.texts)."""
    kinds, money, minute_text = choice_labels(LedgerEntry.Kind.choices), money_text(), minute_texter()
    for entry in entries:
        entry.when, entry.kind_label = minute_text(entry.created_at), kinds.get(entry.kind, entry.kind)
        entry.amount_text, entry.balance_text = money(entry.amount), money(entry.balance_after)
    return entries


def _account_and_entries(person_id, entries: int) -> tuple[list[tuple], list[Entry]]:
    """(account_query's rows, the latest entries of that account) in one statement (core.sql.side_by_side)."""
    if entries not in _person_entries:
        _person_entries[entries] = compiled(lambda person_id: person_entries_query(person_id, entries),
                                            person_id=_PERSON)
    parts = [(*_account.statement(person_id=person_id), len(_ACCOUNT_FIELDS)),
             (*_person_entries[entries].statement(person_id=person_id), len(_ENTRY_FIELDS))]
    account, latest = side_by_side(parts, 'q1."pk" DESC')  # the account's one row, then the entries newest first
    return account, [Entry(*row) for row in latest]


def my_insurance_summary(person: InsuredPerson, *, entries: int = ENTRIES) -> dict:
    """The person (as given), their account, its latest entries, the quotas set aside, and "province region"."""
    found, latest = _account_and_entries(person.pk, entries)
    if found:
        pk, balance, reserved, province, region = found[0]
        account = Account(pk, balance, reserved)
    else:  # no personal account (resident insurance): the region's names with the person
        account, person = None, _person(person_id=person.pk)[0]
        province, region = person.region.province.name, person.region.name
    latest = _shown(with_memos(latest)) if account else []
    return {"person": person, "account": account, "entries": latest, "reserved": account and account.reserved,
            "region_text": f"{province} {region}"}

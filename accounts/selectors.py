import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from core.compiled import compiled
from core.texts import choice_labels, minute_texter, money_text
from ledger.memos import with_memos
from ledger.models import LedgerEntry, PersonalAccount
from registry.models import InsuredPerson

# Placeholders the page's queries are compiled with once per process (core.compiled); no row can have them.
_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000001")
_ACCOUNT = -730_981_246
ENTRIES = 10  # latest ledger entries shown


def person_query(person_id):
    return InsuredPerson.objects.select_related("region__province").filter(pk=person_id)


def account_query(person_id):
    # The balance with what is set aside as sharing quotas (共济额度: still the person's money, no longer spendable by
    # them), and the names of the person's region and province, which the page shows; as values, not models.
    return (PersonalAccount.objects.filter(person_id=person_id)
            .annotate(reserved=Sum("reserves__balance", filter=Q(reserves__closed_at__isnull=True)))
            .order_by("pk").values_list("pk", "balance", "reserved", "person__region__province__name",
                                        "person__region__name")[:1])


_ENTRY_FIELDS = ("pk", "kind", "amount", "balance_after", "memo", "reference", "created_at")


def entries_query(account_id, entries: int = ENTRIES):
    return (LedgerEntry.objects.filter(account_id=account_id, reserve__isnull=True).order_by("-id")
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
_entries: dict = {}  # per number of entries shown


def _latest_entries(account_id, entries: int) -> list[Entry]:
    if entries not in _entries:
        _entries[entries] = compiled(lambda account_id: entries_query(account_id, entries), account_id=_ACCOUNT)
    return [Entry(*row) for row in _entries[entries](account_id=account_id)]


def _shown(entries: list[Entry]) -> list[Entry]:
    """Each entry with what the entries table shows, computed once per page (core.texts)."""
    kinds, money, minute_text = choice_labels(LedgerEntry.Kind.choices), money_text(), minute_texter()
    for entry in entries:
        entry.when, entry.kind_label = minute_text(entry.created_at), kinds.get(entry.kind, entry.kind)
        entry.amount_text, entry.balance_text = money(entry.amount), money(entry.balance_after)
    return entries


def my_insurance_summary(person: InsuredPerson, *, entries: int = ENTRIES) -> dict:
    """The person (as given), their account, its latest entries, the quotas set aside, and "province region"."""
    found = _account(person_id=person.pk)
    if found:
        pk, balance, reserved, province, region = found[0]
        account = Account(pk, balance, reserved)
    else:  # no personal account (resident insurance): the region's names with the person
        account, person = None, _person(person_id=person.pk)[0]
        province, region = person.region.province.name, person.region.name
    latest = _shown(with_memos(_latest_entries(account.pk, entries))) if account else []
    return {"person": person, "account": account, "entries": latest, "reserved": account and account.reserved,
            "region_text": f"{province} {region}"}

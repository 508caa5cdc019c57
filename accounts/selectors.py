import uuid

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
    # With what is set aside as sharing quotas (共济额度): still the person's money, no longer spendable by them; and
    # the person with their region and province, which the page shows (person_query only reads them without an account).
    return (PersonalAccount.objects.filter(person_id=person_id).select_related("person__region__province")
            .annotate(reserved=Sum("reserves__balance", filter=Q(reserves__closed_at__isnull=True)))
            .order_by("pk")[:1])


def entries_query(account_id, entries: int = ENTRIES):
    return LedgerEntry.objects.filter(account_id=account_id, reserve__isnull=True).order_by("-id")[:entries]


_person = compiled(person_query, person_id=_PERSON)
_account = compiled(account_query, person_id=_PERSON)
_entries: dict = {}  # per number of entries shown


def _latest_entries(account_id, entries: int) -> list:
    if entries not in _entries:
        _entries[entries] = compiled(lambda account_id: entries_query(account_id, entries), account_id=_ACCOUNT)
    return _entries[entries](account_id=account_id)


def _shown(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """Each entry with what the entries table shows, computed once per page (core.texts)."""
    kinds, money, minute_text = choice_labels(LedgerEntry.Kind.choices), money_text(), minute_texter()
    for entry in entries:
        entry.when, entry.kind_label = minute_text(entry.created_at), kinds.get(entry.kind, entry.kind)
        entry.amount_text, entry.balance_text = money(entry.amount), money(entry.balance_after)
    return entries


def my_insurance_summary(person: InsuredPerson, *, entries: int = ENTRIES) -> dict:
    account = next(iter(_account(person_id=person.pk)), None)
    person = account.person if account else _person(person_id=person.pk)[0]
    latest = _shown(with_memos(_latest_entries(account.pk, entries))) if account else []
    return {"person": person, "account": account, "entries": latest, "reserved": account and account.reserved}

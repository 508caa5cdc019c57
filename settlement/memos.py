"""Describes the ledger entries settlement posts, in the reader's language (registered in SettlementConfig.ready):
a payment names the institution and the category, a refund the institution."""

import uuid
from functools import cache

from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from core.sql import fast_cursor
from ledger.models import LedgerEntry
from settlement.models import Institution, Settlement


@cache
def _statement() -> str:
    # One fixed statement (an array of ids, not an IN list that changes with their number): prepared per connection.
    return (f"SELECT s.id, i.name, s.category FROM {Settlement._meta.db_table} s "
            f"JOIN {Institution._meta.db_table} i ON i.id = s.institution_id WHERE s.id = ANY(%s)")


def _settlements(entries) -> dict[str, tuple[str, str]]:
    """{settlement id: (institution name, category)} of the settlements the entries refer to."""
    ids = set()
    for entry in entries:
        try:
            ids.add(uuid.UUID(entry.reference))
        except ValueError:
            continue
    if not ids:
        return {}
    with fast_cursor() as cursor:
        cursor.execute(_statement(), [list(ids)])
        return {str(pk): (institution, category) for pk, institution, category in cursor.fetchall()}


@cache
def _categories() -> dict:
    return dict(Settlement._meta.get_field("category").flatchoices)


def payments(entries) -> dict[int, str]:
    found = _settlements(entries)
    return {entry.pk: _("%(institution)s, %(category)s") % {
        "institution": found[entry.reference][0],
        "category": force_str(_categories().get(found[entry.reference][1], found[entry.reference][1]))}
        for entry in entries if entry.reference in found}


def refunds(entries) -> dict[int, str]:
    found = _settlements(entries)
    return {entry.pk: _("Refund from %(institution)s") % {"institution": found[entry.reference][0]}
            for entry in entries if entry.reference in found}


def register() -> None:
    from ledger import memos

    memos.register(LedgerEntry.Kind.SETTLEMENT, payments)
    memos.register(LedgerEntry.Kind.REFUND, refunds)

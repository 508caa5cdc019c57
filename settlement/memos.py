"""Describes the ledger entries settlement posts, in the reader's language (registered in SettlementConfig.ready):
a payment names the institution and the category, a refund the institution."""

import uuid

from django.utils.translation import gettext as _

from ledger.models import LedgerEntry
from settlement.models import Settlement


def _settlements(entries) -> dict[str, Settlement]:
    ids = set()
    for entry in entries:
        try:
            ids.add(uuid.UUID(entry.reference))
        except ValueError:
            continue
    return {str(s.pk): s for s in Settlement.objects.filter(pk__in=ids).select_related("institution")}


def payments(entries) -> dict[int, str]:
    found = _settlements(entries)
    return {entry.pk: _("%(institution)s, %(category)s") % {
        "institution": found[entry.reference].institution.name,
        "category": found[entry.reference].get_category_display()}
        for entry in entries if entry.reference in found}


def refunds(entries) -> dict[int, str]:
    found = _settlements(entries)
    return {entry.pk: _("Refund from %(institution)s") % {"institution": found[entry.reference].institution.name}
            for entry in entries if entry.reference in found}


def register() -> None:
    from ledger import memos

    memos.register(LedgerEntry.Kind.SETTLEMENT, payments)
    memos.register(LedgerEntry.Kind.REFUND, refunds)

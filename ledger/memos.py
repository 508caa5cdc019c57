"""Ledger memos as a citizen reads them, in the reader's language.

The memo column keeps what was written when the entry was posted (the ledger is append-only), in whatever language
that was: "monthly credit 2026-05", "徐州市第一人民医院 门诊", "徐州市第一人民医院 refund". Shown to a citizen, each
entry is described again from what it refers to: the ledger describes its own credits; a higher app that posts
entries (settlement) registers a describer for its kinds at start-up (`register`), and gets the entries in one
call so it can read what they refer to in one query."""

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from ledger.models import LedgerEntry

Describer = Callable[[list[LedgerEntry]], dict[int, str]]
_describers: dict[str, Describer] = {}


def register(kind: str, describer: Describer) -> None:
    """describer(entries) -> {entry id: memo in the active language}; entries it leaves out keep their memo."""
    _describers[kind] = describer


def _credits(entries: list[LedgerEntry]) -> dict[int, str]:
    return {entry.pk: _("Monthly credit for %(period)s") % {"period": entry.reference.removeprefix("credit:")}
            for entry in entries if entry.reference.startswith("credit:")}


register(LedgerEntry.Kind.CREDIT, _credits)


def with_memos(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """The entries, each with `memo_shown`: its memo in the active language where it can be described again."""
    entries = list(entries)
    shown: dict[int, str] = {}
    for kind, describer in _describers.items():
        of_kind = [entry for entry in entries if entry.kind == kind]
        if of_kind:
            shown.update(describer(of_kind))
    for entry in entries:
        entry.memo_shown = shown.get(entry.pk, entry.memo)
    return entries

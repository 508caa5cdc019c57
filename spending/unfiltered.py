"""The spending pages as first opened (no filter, first page): the same reads as spending.selectors, with their SQL
compiled once per process (core.compiled) — the page most requested. Filtered views and later pages build their
querysets per request. spending/tests/test_unfiltered.py compares each with the ORM's result."""

import uuid

from core.compiled import compiled
from spending import selectors

# The placeholder the statements are compiled with; no person has it.
_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000004")
_compiled: dict = {}


def _run(key: tuple, build, person_id) -> list:
    if key not in _compiled:
        _compiled[key] = compiled(build, person_id=_PERSON)
    return _compiled[key](person_id=person_id)


def page_query(side: str, source: str, person_id):
    """One source's first page, for the payer (`side="payer"`) or the member (`side="member"`)."""
    return selectors._page_values(selectors.payments(source=source, **{side: person_id}))


def totals_query(side: str, person_field: str, person_id):
    return selectors._summary_totals_query(selectors.summary(**{side: person_id}), person_field)


def monthly_query(side: str, person_id, months: int = 12):
    return selectors._summary_monthly_query(selectors.summary(**{side: person_id}), months)


def page(side: str, person, *, who: str = "member"):
    """selectors.page(*selectors.per_source(SHARING, **{side: person}), before=None, who=who)."""
    found = []
    for source in selectors.SHARING:
        found += _run(("page", side, source), lambda person_id, source=source: page_query(side, source, person_id),
                      person.pk)
    return selectors._page_rows(found, len(selectors.SHARING), who)


def totals(side: str, person, person_field: str) -> list[dict]:
    """selectors.summary_totals_by(selectors.summary(**{side: person}), person_field)."""
    rows = _run(("totals", side, person_field), lambda person_id: totals_query(side, person_field, person_id),
                person.pk)
    return selectors._summary_totals(rows, person_field)


def monthly(side: str, person) -> list:
    """selectors.summary_monthly(selectors.summary(**{side: person}))."""
    return selectors._summary_monthly(_run(("monthly", side), lambda person_id: monthly_query(side, person_id),
                                           person.pk))

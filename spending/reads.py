"""The spending pages' reads — first page, later pages, filtered by member/authorizer and period — with their SQL
compiled once per process (core.compiled): the same querysets as spending.selectors builds, re-run with each
request's values. One compiled statement per shape (side, and which of the filters and cursor are present), so a
page issues the same statements however it is filtered or paged. spending/tests/test_reads.py compares each with
the ORM's result."""

import datetime
import uuid

from django.db import connection

from core.compiled import compiled
from core.sql import side_by_side
from registry.models import InsuredPerson
from sharing import selectors as sharing_selectors
from spending import selectors

# Placeholders the statements are compiled with (core.compiled): values no request can bring (no person has these
# ids, no payment or month is dated 1901, ids are positive).
_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000004")
_COUNTERPART = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000005")
_SINCE = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
_UNTIL = datetime.datetime(1901, 2, 3, 4, 5, 7, tzinfo=datetime.UTC)
_START, _END = datetime.date(1901, 2, 3), datetime.date(1901, 2, 4)
_BEFORE = -404
_compiled: dict = {}


def _statement(key: tuple, build, *, prepared: bool = True, **values):
    """(The compiled statement of `key`, compiled first with the placeholders of the values given if needed, and the
    values it runs with)."""
    values = {name: value for name, value in values.items() if value is not None}
    if "counterpart_id" in values:  # the filter form gives the id as text
        values["counterpart_id"] = uuid.UUID(str(values["counterpart_id"]))
    key = (*key, prepared, *sorted(values))
    if key not in _compiled:
        placeholders = {"person_id": _PERSON, "counterpart_id": _COUNTERPART, "since": _SINCE, "until": _UNTIL,
                        "start": _START, "end": _END, "before": _BEFORE}
        _compiled[key] = compiled(build, prepared=prepared, **{name: placeholders[name] for name in values})
    return _compiled[key], values


def _run(key: tuple, build, *, prepared: bool = True, **values) -> list:
    """Run the statement of `key`, compiling it first (with the placeholders of the values given) if needed."""
    statement, values = _statement(key, build, prepared=prepared, **values)
    return statement(**values)


def page_query(side: str, person_id, counterpart_id=None, since=None, until=None, before=None):
    return selectors.page_statement(side=side, person_id=person_id, counterpart_id=counterpart_id, since=since,
                                    until=until, before=before)


def _summary(side: str, person_id, counterpart_id=None, start=None, end=None):
    period = selectors.Period("", start, end) if start is not None else None
    return selectors.summary(**{side: person_id}, counterpart_id=counterpart_id, period=period)


def totals_query(side: str, person_field: str, person_id, counterpart_id=None, start=None, end=None):
    return selectors._summary_totals_query(_summary(side, person_id, counterpart_id, start, end), person_field)


def monthly_query(side: str, person_id, counterpart_id=None, start=None, end=None, months: int = 12):
    return selectors._summary_monthly_query(_summary(side, person_id, counterpart_id, start, end), months)


def page(side: str, person, *, who: str = "member", counterpart_id=None, period=None, before=None,
         names: dict | None = None):
    """One page of rows (older than the id `before`) and the next page's cursor: what the ORM gives for the sharing
    payments of `person` (`selectors.payments`) newest first, with the payer's and member's names joined. `names`:
    the other parties' names by id as text (the filter's people list, which the page reads anyway: everyone the
    person was ever bound with, whom every sharing payment goes through); a name missing from it is read here."""
    since, until = selectors.window(period)
    # Prepared (one generic plan per connection, core.compiled): the only indexes leading with the payer or the member
    # are the newest-first ones the statement walks, so a plan made without knowing whose payments it reads walks them
    # too (with a narrower index on the payer it read and sorted all 10,000 payments of the heavy authorizer). Only the
    # page as first opened: filtered or later pages are planned with their values at each call, as before, rather
    # than trust a generic plan that cannot tell how many rows the other filters keep (on a small table it walked the
    # primary key for a cursor, and read and sorted all of a member's payments for a member filter).
    first = counterpart_id is None and period is None and not before
    found = _run(("page", side), lambda **values: page_query(side, **values), prepared=first,
                 person_id=person.pk, counterpart_id=counterpart_id, since=since, until=until, before=before or None)
    return selectors.page_rows(_named(found, side, person, names or {}), who)


def _named(found: list, side: str, person, names: dict) -> list[tuple]:
    """`page_statement`'s rows as `selectors._ROW_FIELDS` (member's and payer's names in place of the other's id)."""
    others = {other for _pk, _at, other, *_rest in found}  # a handful of people: each id made text once, not per row
    by_id = {other: names[str(other)] for other in others if str(other) in names}
    if missing := others - by_id.keys():
        by_id.update(InsuredPerson.objects.filter(pk__in=missing).values_list("pk", "name"))
    own = person.name
    if side == "payer":
        return [(pk, created_at, by_id[other], own, institution, category, source, amount, refunded)
                for pk, created_at, other, institution, category, source, amount, refunded, _walk in found]
    return [(pk, created_at, own, by_id[other], institution, category, source, amount, refunded)
            for pk, created_at, other, institution, category, source, amount, refunded, _walk in found]


def totals(side: str, person, person_field: str, *, counterpart_id=None, period=None) -> list[dict]:
    """selectors.summary_totals_by(selectors.summary(**{side: person}, …), person_field)."""
    rows = _run(("totals", side, person_field), lambda **values: totals_query(side, person_field, **values),
                person_id=person.pk, counterpart_id=counterpart_id, **_dates(period))
    return selectors._summary_totals(rows, person_field)


def monthly(side: str, person, *, counterpart_id=None, period=None) -> list:
    """selectors.summary_monthly(selectors.summary(**{side: person}, …))."""
    rows = _run(("monthly", side), lambda **values: monthly_query(side, **values), person_id=person.pk,
                counterpart_id=counterpart_id, **_dates(period))
    return selectors._summary_monthly(rows)


def _totals_part(side, person_field, values) -> tuple[str, tuple, int]:
    statement, bound = _statement(("totals", side, person_field), lambda **v: totals_query(side, person_field, **v),
                                  **values)
    return (*statement.statement(**bound), 5)


def _monthly_part(side, values) -> tuple[str, tuple, int]:
    statement, bound = _statement(("monthly", side), lambda **v: monthly_query(side, **v), **values)
    return (*statement.statement(**bound), 2)


def _totals(rows, person_field: str) -> list[dict]:
    names = (f"{person_field}_id", f"{person_field}__name", "paid", "refunded", "count")
    return selectors._summary_totals([dict(zip(names, row, strict=True)) for row in rows], person_field)


def _monthly(rows) -> list:
    return selectors._summary_monthly([{"month": month, "net": net} for month, net in rows])


def totals_and_monthly(side: str, person, person_field: str, *, counterpart_id=None,
                       period=None) -> tuple[list[dict], list]:
    """(totals(…), monthly(…)) in one statement (core.sql.side_by_side), each ordered as its own query (by name in the
    database's collation, newest month first)."""
    values = {"person_id": person.pk, "counterpart_id": counterpart_id, **_dates(period)}
    quote = connection.ops.quote_name
    totals, months = side_by_side([_totals_part(side, person_field, values), _monthly_part(side, values)],
                                  f"q0.{quote(person_field + '__name')}, q1.{quote('month')} DESC")
    return _totals(totals, person_field), _monthly(months)


def _page_part(side, values) -> tuple[str, tuple, int]:
    """The first page's statement (`page` as first opened: no filter, no cursor, prepared) as a part."""
    statement, bound = _statement(("page", side), lambda **v: page_query(side, **v), **values)
    other = "member" if side == "payer" else "payer"
    return (*statement.statement(**bound), len(selectors._page_fields(other)) + 1)  # and the person's id


def first_shown(side: str, person, person_field: str, *, monthly: bool = True) -> tuple:
    """A spending page as first opened (no filter, no cursor): (the people of its filter — members_ever_bound_names
    or authorizers_ever_names —, totals(…), monthly(…) or [], page(…)) in one statement instead of three. The
    page's other party is the other side (the members of a payer, the payers of a member)."""
    values = {"person_id": person.pk}
    people, _bound = _statement(("people", side), lambda person_id: sharing_selectors.people_ever_named_query(
        person_id, side="authorizer" if side == "payer" else "member"), **values)
    parts = [_totals_part(side, person_field, values), (*people.statement(**values), 2), _page_part(side, values)]
    quote = connection.ops.quote_name
    # Each part's rows keep their own order: a row has NULLs in the other parts' columns, and NULLs sort together.
    order = f"q0.{quote(person_field + '__name')}, q2.{quote('id')} DESC"
    if monthly:
        parts.append(_monthly_part(side, values))
        order += f", q3.{quote('month')} DESC"
    found = side_by_side(parts, order)
    named = sharing_selectors.people_named(*found[1][0]) if found[1] else []
    names = {str(pk): name for pk, name in named}
    who = "member" if side == "payer" else "payer"
    page = selectors.page_rows(_named(found[2], side, person, names), who)
    return named, _totals(found[0], person_field), _monthly(found[3]) if monthly else [], page


def _dates(period) -> dict:
    return {"start": period.start, "end": period.end} if period is not None else {}

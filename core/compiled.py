"""Querysets whose SQL the ORM compiles once per process, re-run with each call's values.

Building the SQL of a queryset (filters, joins, select_related, annotations) costs the ORM 0.5–1.5 ms of Python;
running it on an index costs PostgreSQL a tenth of that. A hot selector whose query only changes by a few values
(a person's id, a time) declares it once:

    _latest = compiled(lambda person: Payment.objects.filter(payer=person).order_by("-id")[:5], person=PERSON)
    rows = _latest(person=person.pk)         # a list, what list(<the queryset for that person>) would give

The queryset is built and compiled on first use with the placeholder values; each call runs that SQL with the
placeholders replaced by its own values, and the ORM turns the rows into the same results as usual (model
instances with their `select_related` objects, `values_list` tuples, annotations, converters) — only the compiling
is skipped. The SQL text being fixed, it runs with server-side binding (core.sql.fast_cursor): PostgreSQL keeps it
prepared per connection, so it is not parsed and planned at every call either. Placeholders must be values nothing
else in the query can equal (an unused UUID, an impossible time);
compiling fails loudly if one does not appear among the parameters. Only for querysets whose SQL does not depend on
the request otherwise (language, current time zone, settings that change). Each use has a test comparing its
results with the ORM's for the same values.

`compiled(…, prepared=False)`: client-side binding as the ORM does, so PostgreSQL plans the statement at every call
with the call's values. For a statement whose best plan depends on them: a prepared statement gets one generic plan
per connection (portal/settings.py forces it), made without knowing whose rows it reads — for the spending pages'
payments (spending.selectors.page_statement) that plan reads and sorts all 10,000 payments of a heavy authorizer.
"""

import copy
import re
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesListIterable

from core.sql import fast_cursor


class Compiled:
    def __init__(self, build: Callable[..., QuerySet], placeholders: dict, derived: dict | None = None,
                 prepared: bool = True):
        self._build = build
        self._prepared = prepared
        self._placeholders = placeholders
        # Values the queryset computes from a placeholder (e.g. the local date of `now`): name -> f(values).
        self._derived = derived or {}
        self._template = None  # (queryset, compiler, sql, params), per process
        self._correlated: dict[tuple, str] = {}  # correlated()'s SQL per set of columns

    def _compile(self):
        queryset = self._build(**self._placeholders)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        slot_values = {**self._placeholders,
                       **{name: derive(self._placeholders) for name, derive in self._derived.items()}}
        for name, value in slot_values.items():
            if value not in params:
                raise RuntimeError(f"placeholder {name}={value!r} not among the parameters {params!r}")
        by_value = {value: name for name, value in slot_values.items()}
        if len(by_value) != len(slot_values):
            raise RuntimeError(f"two placeholders have the same value: {slot_values!r}")
        slots = [by_value.get(param) if _hashable(param) else None for param in params]
        self._template = (queryset, compiler, sql, params, slots, _plain_rows(queryset, compiler))
        return self._template

    def _bind(self, values: dict) -> tuple:
        if values.keys() != self._placeholders.keys():
            raise TypeError(f"expected values for {sorted(self._placeholders)}, got {sorted(values)}")
        template = self._template or self._compile()
        params, slots = template[3], template[4]
        values = {**values, **{name: derive(values) for name, derive in self._derived.items()}}
        return template, tuple(param if slot is None else values[slot] for param, slot in zip(params, slots, strict=True))

    def statement(self, **values) -> tuple[str, tuple]:
        """(SQL, this call's parameters), for a caller that runs the query inside a statement of its own."""
        (_queryset, _compiler, sql, *_rest), bound = self._bind(values)
        return sql, bound

    def correlated(self, columns: dict[str, str], **values) -> tuple[str, tuple]:
        """`statement` with the placeholders named in `columns` written as those SQL expressions (a column of an
        outer statement: `{"person_id": 'p."id"'}`) instead of parameters, for a LATERAL subquery of a statement of
        one's own; the other placeholders take `values`. The SQL text is made once per process and `columns`."""
        if self._derived:
            raise TypeError("a query with derived values cannot be correlated")
        expected = self._placeholders.keys() - columns.keys()
        if values.keys() != expected:
            raise TypeError(f"expected values for {sorted(expected)}, got {sorted(values)}")
        template, key = self._template or self._compile(), tuple(sorted(columns.items()))
        if key not in self._correlated:
            self._correlated[key] = _with_columns(template[2], template[4], columns)
        params, slots = template[3], template[4]
        return self._correlated[key], tuple(param if slot is None else values[slot]
                                            for param, slot in zip(params, slots, strict=True) if slot not in columns)

    def __call__(self, **values) -> list:
        (queryset, compiler, sql, _params, _slots, plain), bound = self._bind(values)
        if plain is not None:  # values_list: the rows and the fields' converters, without the ORM's iterators
            kind, converters = plain
            alias = queryset.db or DEFAULT_DB_ALIAS
            with fast_cursor(alias) if self._prepared else connections[alias].cursor() as cursor:
                cursor.execute(sql, bound)
                rows = cursor.fetchall()
            if converters:
                rows = _converted(rows, converters, connections[alias])
            return [row[0] for row in rows] if kind == "flat" else [tuple(row) for row in rows]
        run = copy.copy(compiler)
        alias = queryset.db or DEFAULT_DB_ALIAS
        run.connection = _Prepared(alias) if self._prepared else connections[alias]  # this thread's connection
        run.as_sql = lambda *args, **kwargs: (sql, bound)
        clone = queryset._chain()
        clone.query.get_compiler = lambda *args, **kwargs: run
        return list(clone)


class _Prepared:
    """This thread's connection, whose cursors bind parameters on the server (core.sql.fast_cursor): the SQL text
    is fixed, so PostgreSQL keeps it prepared per connection instead of parsing and planning it at every call."""

    def __init__(self, alias: str):
        self._connection = connections[alias]
        self._alias = alias

    def cursor(self):
        return fast_cursor(self._alias)

    def __getattr__(self, name):
        return getattr(self._connection, name)


def _plain_rows(queryset: QuerySet, compiler) -> tuple[str, list] | None:
    """("tuples" or "flat", the columns' converters) when the queryset is a `values_list` without extra columns to
    trim, else None (model instances and the rest go through the ORM's iterators)."""
    kinds = {ValuesListIterable: "tuples", FlatValuesListIterable: "flat"}
    kind = kinds.get(queryset._iterable_class)
    if kind is None or compiler.col_count != len(compiler.select):
        return None
    return kind, list(compiler.get_converters([column for column, _sql, _alias in compiler.select]).items())


def _converted(rows, converters, connection) -> list:
    """What SQLCompiler.apply_converters does to each row."""
    out = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        out.append(row)
    return out


def _with_columns(sql: str, slots: list, columns: dict[str, str]) -> str:
    """`sql` with each `%s` whose slot is named in `columns` replaced by that SQL expression (`%%` is a literal)."""
    parts, position = re.split(r"(%%|%s)", sql), 0
    for index, part in enumerate(parts):
        if part == "%s":
            if slots[position] in columns:
                parts[index] = columns[slots[position]]
            position += 1
    if position != len(slots):
        raise RuntimeError(f"{position} parameters in the SQL, {len(slots)} expected: {sql!r}")
    return "".join(parts)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def compiled(build: Callable[..., QuerySet], *, derived: dict | None = None, prepared: bool = True,
             **placeholders) -> Compiled:
    return Compiled(build, placeholders, derived, prepared)

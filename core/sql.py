"""Fixed SQL statements on the hot path, with server-side binding so that PostgreSQL can keep them prepared.

The ORM's cursors bind parameters on the client (Django's default for psycopg 3), so nothing they run is ever
prepared. `fast_cursor()` is a cursor on the same connection (the same transaction) that sends parameters apart
from the SQL text; psycopg prepares a statement once a connection has run it `prepare_threshold` times
(DATABASES OPTIONS, portal/settings.py; unset or None: never). It is wrapped like every Django cursor, so query
counting (tests, the bench) and error wrapping see its statements.

Only for fixed statements (one SQL text, one statement each): server-side binding refuses several commands in one
execute, and a text built per call would fill the connection's prepared-statement cache for nothing.
`side_by_side` joins compiled statements (core.compiled) into one: its text is the same for the same parts.
"""

from django.db import DEFAULT_DB_ALIAS, connections

try:
    from django.db.backends.postgresql.base import ServerBindingCursor
except ImportError:  # pragma: no cover - psycopg 2 has no server-side binding
    ServerBindingCursor = None


def fast_cursor(alias: str = DEFAULT_DB_ALIAS):
    connection = connections[alias]
    connection.ensure_connection()
    if ServerBindingCursor is None:  # pragma: no cover
        return connection.cursor()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def side_by_side(parts: list[tuple[str, tuple, int]], order: str) -> list[list[tuple]]:
    """Statements (SQL, parameters, number of columns) run as one, to save each its own round trip and execution:

        SELECT * FROM (<first>) q0 FULL JOIN (<second>) q1 ON FALSE … ORDER BY <order>

    (a FULL JOIN that matches nothing: each row carries one statement's columns and NULLs for the others'); each
    statement's rows, told apart by their first column (never NULL in any of them). Prepared per connection, as
    each statement alone is."""
    sql = "SELECT * FROM " + " FULL JOIN ".join(
        f"({part_sql}) q{index}" + (" ON FALSE" if index else "") for index, (part_sql, _params, _n) in enumerate(parts))
    with fast_cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY {order}", [param for _sql, params, _n in parts for param in params])
        if len(cursor.description) != sum(n for _sql, _params, n in parts):
            raise RuntimeError(f"the statements' columns changed: {len(cursor.description)} read, "
                               f"{[n for _sql, _params, n in parts]} expected")
        rows = cursor.fetchall()
    found, start = [], 0
    for _sql, _params, n in parts:
        found.append([row[start:start + n] for row in rows if row[start] is not None])
        start += n
    return found

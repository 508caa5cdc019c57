"""Fixed SQL statements on the hot path, with server-side binding so that PostgreSQL can keep them prepared.

The ORM's cursors bind parameters on the client (Django's default for psycopg 3), so nothing they run is ever
prepared. `fast_cursor()` is a cursor on the same connection (the same transaction) that sends parameters apart
from the SQL text; psycopg prepares a statement once a connection has run it `prepare_threshold` times
(DATABASES OPTIONS, portal/settings.py; unset or None: never). It is wrapped like every Django cursor, so query
counting (tests, the bench) and error wrapping see its statements.

Only for fixed statements (one SQL text, one statement each): server-side binding refuses several commands in one
execute, and a text built per call would fill the connection's prepared-statement cache for nothing.
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

"""Database sessions, read with one prepared-once SQL statement instead of the ORM.

The same table, rows and semantics as `django.contrib.sessions.backends.db` (which it extends: saving, creating
and deleting are unchanged). Reading the session is the first thing every page does; the ORM spent more time
building that query than PostgreSQL spent answering it.
"""

from types import SimpleNamespace

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from core.sql import fast_cursor


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        table = model._meta.db_table
        with fast_cursor(router.db_for_read(model)) as cursor:  # prepared per connection: every page runs it
            cursor.execute(f'SELECT session_data FROM "{table}" WHERE session_key = %s AND expire_date > %s',
                           [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])

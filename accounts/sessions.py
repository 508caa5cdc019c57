"""Database sessions whose read brings the logged-in user and their insured person in the same statement.

Django's database sessions (`django.contrib.sessions.backends.db`: saving, creating, deleting, expiry and key
rotation unchanged) on a table of their own, `accounts.Session`, with one more column: the id of the user the
session data names, written with the data at each save. Every page reads its session and then its user with their
person (accounts/users.py); here both come from one statement:

    SELECT s.session_data, s.user_id, u.…, p.… FROM accounts_session s
      LEFT JOIN accounts_user u ON u.id = s.user_id LEFT JOIN registry_insuredperson p ON p.id = u.person_id
     WHERE s.session_key = %s AND s.expire_date > %s

Django's authentication is unchanged: `django.contrib.auth.get_user` reads the user id, the backend and the auth
hash from the signed session data, asks the backend for that user, and compares the hash with the one the user's
password gives (logout, a changed password, a deactivated account and a rotated key behave as before). The backend
(`IdOrMobileBackend.get_user`) takes the user read with the session instead of reading it again only when it is asked
during this request's authentication (`AuthenticationMiddleware` below says which session that is) and the column
names the user the session data names; once (another `get_user` in the same request reads the user again).
Otherwise, e.g. a session saved before this table existed (its column is empty), the user is read as before.
"""

from contextvars import ContextVar
from types import SimpleNamespace

from django.contrib import auth
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth import middleware as auth_middleware
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.models import Session
from accounts.users import user_columns, user_from_row, user_pk
from core.sql import fast_cursor

# The session of the request whose user django.contrib.auth.get_user is reading, while it does.
_authenticating: ContextVar = ContextVar("accounts_session_authenticating", default=None)
_statement: list = []


def _read_statement() -> str:
    if not _statement:
        quote = connections[router.db_for_read(Session)].ops.quote_name
        User = get_user_model()
        column = {f.name: quote(f.column) for f in Session._meta.concrete_fields}
        where = f"WHERE s.{column['session_key']} = %s AND s.{column['expire_date']} > %s"
        columns = user_columns()
        if columns is None:  # a field needs the ORM's conversion: the user is read by the backend alone
            sql = f"SELECT s.{column['session_data']}, NULL FROM {quote(Session._meta.db_table)} s {where}"
        else:
            select, join = columns
            sql = (f"SELECT s.{column['session_data']}, s.{column['user_id']}, {select} "
                   f"FROM {quote(Session._meta.db_table)} s "
                   f"LEFT JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = s.{column['user_id']} "
                   f"{join} {where}")
        _statement.append(sql)
    return _statement[0]


class SessionStore(db.SessionStore):
    _with_user = None  # (user id, (alias, the user's and person's columns)) found by the last read

    @classmethod
    def get_model_class(cls):
        return Session

    def _get_session_from_db(self):
        self._with_user = None
        alias = router.db_for_read(self.model)
        with fast_cursor(alias) as cursor:  # prepared per connection: every page runs it
            cursor.execute(_read_statement(), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        if row[1] is not None and len(row) > 2 and row[2] is not None:  # the column names a user who exists
            self._with_user = (row[1], (alias, row[2:]))
        return SimpleNamespace(session_data=row[0])

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = user_pk(data.get(SESSION_KEY))
        return instance

    async def acreate_model_instance(self, data):
        instance = await super().acreate_model_instance(data)
        instance.user_id = user_pk(data.get(SESSION_KEY))
        return instance

    def take_user(self, user_id):
        """The user read with this session if it is `user_id` (as the session data gives it), or None; once."""
        found, self._with_user = self._with_user, None
        if found is None or found[0] != user_id:
            return None
        alias, row = found[1]
        return user_from_row(row, alias)


def read_with_the_session(user_id):
    """For the authentication backend: the user read with the session of the request being authenticated."""
    take = getattr(_authenticating.get(), "take_user", None)
    return take(user_id) if take is not None else None


def _get_user(request):
    if not hasattr(request, "_cached_user"):  # as django.contrib.auth.middleware.get_user
        token = _authenticating.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _authenticating.reset(token)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, telling the backend which session it is authenticating (so it can take the user read with it)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))

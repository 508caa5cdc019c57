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

A higher app may have a few values about the logged-in person read in the same statement (`also_read`: the
navigation's counts of unread messages and waiting requests, which every citizen page shows): a LATERAL subquery on
the person's id, only for GET and HEAD requests (a page that changes what it counts answers a POST with a redirect),
and handed out only when the user was taken from the same row (`also_read_value`); otherwise the app reads them
itself.
"""

from contextvars import ContextVar
from functools import cache
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
_statements: dict[bool, str] = {}  # with the `also_read` queries or not -> the statement
# name -> (compiled query (core.compiled) of one row about a person, its person placeholder, number of columns,
# function of the statement's `now` giving the query's other placeholders' values)
_also: dict[str, tuple] = {}


def also_read(name: str, query, *, person: str, columns: int, values=lambda now: {}) -> None:
    """Read `query` (a `core.compiled` values_list of one row, with `person` the placeholder of the person's id) with
    the session of every GET or HEAD request; `also_read_value(request, name)` gives its row. At start-up only."""
    _also[name] = (query, person, columns, values)
    _statements.clear()


def also_read_value(request, name: str):
    """The row of `name` read with this request's session for its user's person, or None: not read (another method,
    no such user, the user read apart from the session) — then the caller reads it itself."""
    values = getattr(getattr(request, "session", None), "read_also", None)
    return None if values is None else values.get(name)


@cache
def _person_column() -> str:
    """The person's primary key in the statement (the person table is `p`, accounts/users.py)."""
    quote = connections[router.db_for_read(Session)].ops.quote_name
    return f"p.{quote(get_user_model()._meta.get_field('person').related_model._meta.pk.column)}"


def _also_params(now) -> list:
    params = []
    for query, person, _columns, values in _also.values():
        params += query.correlated({person: _person_column()}, **values(now))[1]
    return params


def _read_statement(also: bool = False) -> str:
    """The session read (and the user's, where their columns allow; with the `also_read` queries if `also`)."""
    if also not in _statements:
        quote = connections[router.db_for_read(Session)].ops.quote_name
        User = get_user_model()
        column = {f.name: quote(f.column) for f in Session._meta.concrete_fields}
        where = f"WHERE s.{column['session_key']} = %s AND s.{column['expire_date']} > %s"
        columns = user_columns()
        if columns is None:  # a field needs the ORM's conversion: the user is read by the backend alone
            sql = f"SELECT s.{column['session_data']}, NULL FROM {quote(Session._meta.db_table)} s {where}"
        else:
            select, join = columns
            laterals = ""
            if also:
                for index, (query, person, _columns, values) in enumerate(_also.values()):
                    sql = query.correlated({person: _person_column()}, **values(timezone.now()))[0]
                    select += f", a{index}.*"
                    laterals += f" LEFT JOIN LATERAL ({sql}) a{index} ON true"
            sql = (f"SELECT s.{column['session_data']}, s.{column['user_id']}, {select} "
                   f"FROM {quote(Session._meta.db_table)} s "
                   f"LEFT JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = s.{column['user_id']} "
                   f"{join}{laterals} {where}")
        _statements[also] = sql
    return _statements[also]


class SessionStore(db.SessionStore):
    _with_user = None  # (user id, (alias, the user's and person's columns), the also_read rows) found by the last read
    read_also = None  # the also_read rows by name, once the user read with them was taken (also_read_value)
    wants_also = False  # set by AuthenticationMiddleware for a GET or HEAD request

    @classmethod
    def get_model_class(cls):
        return Session

    def _get_session_from_db(self):
        self._with_user = self.read_also = None
        alias, also = router.db_for_read(self.model), bool(self.wants_also and _also and user_columns() is not None)
        now = timezone.now()
        with fast_cursor(alias) as cursor:  # prepared per connection: every page runs it
            cursor.execute(_read_statement(also), [*(_also_params(now) if also else ()), self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        if row[1] is not None and len(row) > 2 and row[2] is not None:  # the column names a user who exists
            end, rows = len(row), {}
            if also:
                end -= sum(columns for _query, _person, columns, _values in _also.values())
                position = end
                for name, (_query, _person, columns, _values) in _also.items():
                    values = row[position:position + columns]
                    rows[name] = None if all(value is None for value in values) else tuple(values)
                    position += columns
            self._with_user = (row[1], (alias, row[2:end]), rows if also else None)
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
        self.read_also = found[2]
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
        request.session.wants_also = request.method in ("GET", "HEAD")
        request.user = SimpleLazyObject(lambda: _get_user(request))

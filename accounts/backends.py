from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.services import user_by_login
from core.sql import fast_cursor


class IdOrMobileBackend(ModelBackend):
    """Citizens log in with their resident ID number or their mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = user_by_login(username)
        if user is None:
            # Same work as a real check, so timing does not tell who has an account.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # Every page reads the user, and every citizen page request.user.person: one plain statement for both
        # (the ORM spent more time building this query than PostgreSQL answering it).
        user = user_with_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


_statement: list = []


def _user_with_person_statement():
    """(SQL, user field names, person field names), or None when a field needs the ORM's conversion of values."""
    if not _statement:
        User = get_user_model()
        field = User._meta.get_field("person")
        Person = field.related_model
        user_fields, person_fields = User._meta.concrete_fields, Person._meta.concrete_fields
        plain = not any(f.get_db_converters(connection) or hasattr(f, "from_db_value")
                        for f in (*user_fields, *person_fields))
        quote = connection.ops.quote_name
        columns = [f"u.{quote(f.column)}" for f in user_fields] + [f"p.{quote(f.column)}" for f in person_fields]
        sql = (f"SELECT {', '.join(columns)} FROM {quote(User._meta.db_table)} u "
               f"LEFT JOIN {quote(Person._meta.db_table)} p ON p.{quote(Person._meta.pk.column)} = u.{quote(field.column)} "
               f"WHERE u.{quote(User._meta.pk.column)} = %s")
        _statement.append((sql, [f.attname for f in user_fields], [f.attname for f in person_fields]) if plain else None)
    return _statement[0]


def user_with_person(user_id):
    """The user with their insured person (as `select_related("person")`), or None."""
    User = get_user_model()
    statement = _user_with_person_statement()
    if statement is None:
        return User._default_manager.select_related("person").filter(pk=user_id).first()
    sql, user_names, person_names = statement
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    with fast_cursor() as cursor:  # prepared per connection: every page runs it
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user = User.from_db(connection.alias, user_names, row[: len(user_names)])
    field = User._meta.get_field("person")
    person = None
    if row[len(user_names)] is not None:
        person = field.related_model.from_db(connection.alias, person_names, row[len(user_names):])
        field.remote_field.set_cached_value(person, user)
    field.set_cached_value(user, person)
    return user

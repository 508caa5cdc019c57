"""The user with their insured person from one row: the columns, and the instances built from them.

Every page reads the logged-in user, and every citizen page `request.user.person`; the ORM spent more time building
that query than PostgreSQL answering it. The statement is built once per process from the models' fields. The
session read (accounts/sessions.py) selects the same columns with the session row, so a page reads the session, the
user and the person in one statement; `IdOrMobileBackend.get_user` reads them alone when it has to.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

from core.sql import fast_cursor

_shape: list = []


def _columns():
    """(SELECT list for tables aliased u and p, the join of p to u, user field names, person field names, the
    statement by user id), or None when a field needs the ORM's conversion of values (then the ORM reads them)."""
    if not _shape:
        User = get_user_model()
        field = User._meta.get_field("person")
        Person = field.related_model
        user_fields, person_fields = User._meta.concrete_fields, Person._meta.concrete_fields
        plain = not any(f.get_db_converters(connection) or hasattr(f, "from_db_value")
                        for f in (*user_fields, *person_fields))
        quote = connection.ops.quote_name
        select = ", ".join([f"u.{quote(f.column)}" for f in user_fields] + [f"p.{quote(f.column)}" for f in person_fields])
        join = (f"LEFT JOIN {quote(Person._meta.db_table)} p "
                f"ON p.{quote(Person._meta.pk.column)} = u.{quote(field.column)}")
        by_id = (f"SELECT {select} FROM {quote(User._meta.db_table)} u {join} "
                 f"WHERE u.{quote(User._meta.pk.column)} = %s")
        _shape.append((select, join, [f.attname for f in user_fields], [f.attname for f in person_fields], by_id)
                      if plain else None)
    return _shape[0]


def user_columns():
    """(SELECT list, join of the person) for a statement that aliases the user table `u`; None: use the ORM."""
    shape = _columns()
    return None if shape is None else shape[:2]


def user_from_row(row, alias: str = "default"):
    """The user (with `person` cached, and the person's `user`) from the columns of `user_columns()`."""
    user_names, person_names = _columns()[2:4]
    User = get_user_model()
    user = User.from_db(alias, user_names, row[: len(user_names)])
    field = User._meta.get_field("person")
    person = None
    if row[len(user_names)] is not None:
        person = field.related_model.from_db(alias, person_names, row[len(user_names):])
        field.remote_field.set_cached_value(person, user)
    field.set_cached_value(user, person)
    return user


def user_pk(value):
    """A user id as the user table's primary key takes it (from a session's data, say), or None if it is not one."""
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


def user_with_person(user_id):
    """The user with their insured person (as `select_related("person")`), or None."""
    User = get_user_model()
    shape = _columns()
    if shape is None:
        return User._default_manager.select_related("person").filter(pk=user_id).first()
    user_id = user_pk(user_id)
    if user_id is None:
        return None
    with fast_cursor() as cursor:  # prepared per connection: a page runs it when the session read could not
        cursor.execute(shape[4], [user_id])
        row = cursor.fetchone()
    return None if row is None else user_from_row(row, connection.alias)

"""The session's user is read with one plain statement: the same user and person as the ORM gives."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import IdOrMobileBackend, user_with_person
from accounts.models import User


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_user_and_person_equal_the_orms_in_one_query(alice):
    expected = User.objects.select_related("person").get(pk=alice.pk)
    with CaptureQueriesContext(connection) as ctx:
        user = IdOrMobileBackend().get_user(alice.pk)
        person = user.person
        assert person.user is user
    assert len(ctx.captured_queries) == 1
    assert _fields(user) == _fields(expected) and _fields(person) == _fields(expected.person)
    assert not user._state.adding and user._state.db == "default"


def test_staff_without_a_person_nobody_and_the_inactive(hall_staff, alice):
    user = IdOrMobileBackend().get_user(hall_staff.pk)
    assert user == hall_staff and user.person is None
    assert IdOrMobileBackend().get_user(10**9) is None and user_with_person("not a number") is None
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert IdOrMobileBackend().get_user(alice.pk) is None

"""The session row, the user and their insured person are read in one statement (accounts/sessions.py), and the
session's security is Django's: expiry, the password's auth hash, deactivation, logout and key rotation."""

import datetime

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Session, User
from accounts.sessions import SessionStore

PASSWORD = "Correct-Horse-42"
HELP = "/help/"


def _log_in(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.person.certno, "password": PASSWORD})
    assert response.status_code == 302
    return client.cookies["sessionid"].value


def _user_on(client, url=HELP):
    """(the user a page saw, the statements it ran)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.wsgi_request.user, [q["sql"] for q in ctx.captured_queries]


def test_a_real_login_reads_the_session_user_and_person_in_one_statement(client, alice):
    key = _log_in(client, alice)
    assert Session.objects.get(pk=key).user_id == alice.pk
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("accounts:my_insurance"))
        user = response.wsgi_request.user
        assert user.pk == alice.pk and user.person.pk == alice.person.pk and user.person.user.pk == alice.pk
    assert response.status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    assert 'FROM "accounts_session"' in statements[0] and '"registry_insuredperson"' in statements[0]
    assert not any('FROM "accounts_user"' in sql for sql in statements)  # the user is not read again


def test_the_user_read_with_the_session_equals_the_orms(client, alice):
    _log_in(client, alice)
    user, _statements = _user_on(client)
    expected = User.objects.select_related("person").get(pk=alice.pk)
    fields = lambda instance: {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}  # noqa: E731
    assert fields(user) == fields(expected) and fields(user.person) == fields(expected.person)
    assert not user._state.adding and user._state.db == "default"


def test_an_expired_session_is_anonymous(client, alice):
    key = _log_in(client, alice)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    user, _statements = _user_on(client)
    assert not user.is_authenticated
    response = client.get(reverse("accounts:my_insurance"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_a_password_changed_elsewhere_logs_the_session_out(client, alice):
    key = _log_in(client, alice)
    alice.set_password("Another-Horse-43")
    alice.save()
    user, _statements = _user_on(client)
    assert not user.is_authenticated
    assert not Session.objects.filter(pk=key).exists()  # flushed, as Django does


def test_a_deactivated_account_is_anonymous(client, alice):
    _log_in(client, alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    user, _statements = _user_on(client)
    assert not user.is_authenticated


def test_logging_out_deletes_the_session_and_its_cookie_no_longer_works(client, alice):
    key = _log_in(client, alice)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not Session.objects.filter(pk=key).exists()
    client.cookies["sessionid"] = key
    user, _statements = _user_on(client)
    assert not user.is_authenticated


def test_changing_the_password_rotates_the_key_and_the_new_row_names_the_user(client, alice):
    old = _log_in(client, alice)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand-New-Horse-77", "new_password2": "Brand-New-Horse-77"})
    assert response.status_code == 302
    new = client.cookies["sessionid"].value
    assert new != old and not Session.objects.filter(pk=old).exists()
    assert Session.objects.get(pk=new).user_id == alice.pk
    user, statements = _user_on(client)
    assert user.pk == alice.pk and not any('FROM "accounts_user"' in sql for sql in statements)


def test_the_column_is_only_a_join_key_the_signed_data_says_who_is_logged_in(client, alice, bob):
    key = _log_in(client, alice)
    Session.objects.filter(pk=key).update(user_id=bob.pk)  # a column naming someone else is not believed
    user, statements = _user_on(client)
    assert user.pk == alice.pk and any('FROM "accounts_user"' in sql for sql in statements)


def test_a_session_saved_before_the_column_existed_reads_the_user_as_before(client, alice):
    key = _log_in(client, alice)
    Session.objects.filter(pk=key).update(user_id=None)  # as the migration copies the live sessions
    user, statements = _user_on(client)
    assert user.pk == alice.pk and user.person.pk == alice.person.pk
    assert any('FROM "accounts_user"' in sql for sql in statements)


def test_a_column_naming_nobody_reads_the_user_the_data_names(client, alice, make_citizen):
    other = make_citizen(name="李四", mobile="13700000001")
    key = _log_in(client, other)
    Session.objects.filter(pk=key).update(user_id=10**9)  # names nobody: the join finds no user, the backend reads it
    user, _statements = _user_on(client)
    assert user.pk == other.pk


def test_the_user_read_with_a_session_is_given_once(alice, db):
    store = SessionStore()
    store[SESSION_KEY] = str(alice.pk)
    store.save()
    assert Session.objects.get(pk=store.session_key).user_id == alice.pk
    loaded = SessionStore(store.session_key)
    loaded.load()
    assert loaded.take_user(alice.pk + 1) is None  # not the user it read: nothing, and spent
    assert loaded.take_user(alice.pk) is None
    loaded.load()
    assert loaded.take_user(alice.pk).pk == alice.pk and loaded.take_user(alice.pk) is None


def test_a_session_without_a_user_has_an_empty_column(db):
    store = SessionStore()
    store["anything"] = 1
    store.save()
    assert Session.objects.get(pk=store.session_key).user_id is None

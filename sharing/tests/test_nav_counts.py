"""The navigation's counts (unread messages, spouse requests waiting for an answer) are read in the session's
statement on a GET page (accounts.sessions.also_read), and by a query of their own otherwise: the same numbers."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Session
from notifications.models import Notification
from notifications.services import notifications_mark_read, notify
from sharing.context_processors import _counts

PASSWORD = "Correct-Horse-42"
_PERSON_ANY = uuid.UUID("0e0e0e0e-0000-4000-8000-00000000c0de")


def _log_in(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.person.certno, "password": PASSWORD})
    assert response.status_code == 302
    return client.cookies["sessionid"].value


def _page(client, url, method="get", data=None):
    """(the response, its statements), with the counts read while the page is rendered."""
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
        counts = (response.context["nav_unread_count"](), response.context["nav_consent_count"]())
    return response, counts, [q["sql"] for q in ctx.captured_queries]


def _counts_statements(statements):
    return [sql for sql in statements if 'FROM "notifications_notification"' in sql]


@pytest.fixture
def waiting(alice, bob, bind):
    """bob: alice's spouse request waiting for his answer, and two unread messages (the request's own read)."""
    binding = bind(alice, bob.person, "spouse")
    Notification.objects.filter(recipient=bob.person).update(read_at=timezone.now())
    for title in ("one", "two", "three"):
        notify(person=bob.person, title=title, body="b", sms=False)
    first = Notification.objects.filter(recipient=bob.person, read_at=None).order_by("pk").first()
    notifications_mark_read(person=bob.person, notification_id=first.pk)
    return binding


@pytest.mark.django_db
def test_a_get_page_reads_the_counts_with_the_session_in_one_statement(client, bob, waiting):
    _log_in(client, bob)
    response, counts, statements = _page(client, reverse("accounts:my_insurance"))
    assert response.status_code == 200 and counts == (2, 1)
    [read] = _counts_statements(statements)
    assert 'FROM "accounts_session"' in read and "LATERAL" in read
    assert "2" in response.content.decode()  # the header shows them


@pytest.mark.django_db
def test_the_counts_read_with_the_session_are_the_queries_own(client, alice, bob, waiting):
    _log_in(client, bob)
    for change in (lambda: None,
                   lambda: notify(person=bob.person, title="four", body="b", sms=False),
                   lambda: waiting.__class__.objects.filter(pk=waiting.pk).update(
                       consent_deadline=timezone.now() - datetime.timedelta(seconds=1))):
        change()
        _response, counts, _statements = _page(client, reverse("notifications:inbox"))
        assert counts == tuple(_counts(person_id=bob.person.pk, now=timezone.now())[0])
    assert counts == (3, 0)  # the request past its deadline no longer waits


@pytest.mark.django_db
def test_a_person_with_nothing_waiting_reads_zeros(client, alice):
    _log_in(client, alice)
    _response, counts, statements = _page(client, reverse("accounts:my_insurance"))
    assert counts == (0, 0) and len(_counts_statements(statements)) == 1


@pytest.mark.django_db
def test_a_post_that_shows_a_page_reads_the_counts_itself(client, bob, waiting):
    _log_in(client, bob)
    response, counts, statements = _page(client, reverse("accounts:password_change"), "post",
                                         {"old_password": "wrong", "new_password1": "x", "new_password2": "y"})
    assert response.status_code == 200 and counts == (2, 1)
    [separate] = _counts_statements(statements)
    assert 'FROM "accounts_session"' not in separate and not any("LATERAL" in sql for sql in statements)


@pytest.mark.django_db
def test_counts_read_for_another_user_than_the_logged_in_one_are_not_believed(client, alice, bob, waiting):
    key = _log_in(client, alice)
    Session.objects.filter(pk=key).update(user_id=bob.pk)  # the join key names bob; the signed data says alice
    response, counts, _statements = _page(client, reverse("accounts:my_insurance"))
    alices = tuple(_counts(person_id=alice.person.pk, now=timezone.now())[0])
    assert response.wsgi_request.user.pk == alice.pk and counts == alices != (2, 1)


def test_a_correlated_query_writes_its_column_in_place_of_the_parameter(db):
    now = timezone.now()
    sql, params = _counts.correlated({"person_id": 'p."id"'}, now=now)
    standalone, standalone_params = _counts.statement(person_id=_PERSON_ANY, now=now)
    assert sql.count("%s") == standalone.count("%s") - 1 and 'p."id"' in sql
    assert list(params) == [value for value in standalone_params if value != _PERSON_ANY]
    with pytest.raises(TypeError):
        _counts.correlated({"person_id": 'p."id"'})  # `now` is missing


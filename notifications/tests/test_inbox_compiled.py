"""The inbox's count and pages (notifications.selectors.Inbox, compiled SQL) are what the ORM gives."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import selectors
from notifications.services import notify


def test_the_inbox_pages_are_the_orms(alice, bob):
    for n in range(45):
        notify(person=alice.person, title=f"t{n}", body="b", sms=False)
    notify(person=bob.person, title="other", body="b", sms=False)
    inbox, orm = selectors.Inbox(alice.person.pk), selectors.inbox_query(alice.person.pk)
    assert inbox.count() == orm.count() == 45
    for start in (0, 20, 40, 100, 200):
        assert [n.pk for n in inbox[start:start + 20]] == [n.pk for n in orm[start:start + 20]]
    assert selectors.Inbox(bob.person.pk).count() == 1
    assert selectors.Inbox(alice.person.pk.__class__(int=1)).count() == 0


def test_the_inbox_page_runs_the_same_statements_for_3_or_45_messages(client, alice):
    for n in range(3):
        notify(person=alice.person, title=f"t{n}", body="b", sms=False)
    client.force_login(alice)
    client.get(reverse("notifications:inbox"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    for n in range(42):
        notify(person=alice.person, title=f"u{n}", body="b", sms=False)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 200 and len(page.context["items"]) == 20
    # The session with the user and their person, the count, the page of messages, the navigation counts.
    assert len(few.captured_queries) == len(many.captured_queries) == 4

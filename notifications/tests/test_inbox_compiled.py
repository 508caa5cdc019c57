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


def test_the_first_page_read_with_the_count_is_the_orms(alice, bob):
    for n in range(45):
        notify(person=alice.person, title=f"t{n}", body="b", sms=False)
    notify(person=bob.person, title="other", body="b", sms=False)
    orm = selectors.inbox_query(alice.person.pk)
    for size in (20, 50):
        inbox = selectors.Inbox(alice.person.pk, first_page=size)
        with CaptureQueriesContext(connection) as ctx:
            assert inbox.count() == 45
            first = inbox[0:size]
        assert len(ctx.captured_queries) == 1
        assert [n.pk for n in first] == [n.pk for n in orm[0:size]] and len(first) == min(size, 45)
        # Other pages are read as before.
        assert [n.pk for n in inbox[size:2 * size]] == [n.pk for n in orm[size:2 * size]]
    assert selectors.Inbox(bob.person.pk, first_page=20).count() == 1
    empty = selectors.Inbox(alice.person.pk.__class__(int=1), first_page=20)
    assert empty.count() == 0 and empty[0:20] == []


def test_a_later_inbox_page_still_shows_its_messages(client, alice):
    for n in range(25):
        notify(person=alice.person, title=f"t{n}", body="b", sms=False)
    client.force_login(alice)
    page = client.get(reverse("notifications:inbox"), {"page": 2})
    assert page.status_code == 200 and len(page.context["items"]) == 5
    assert [n.title for n in page.context["items"]] == [f"t{n}" for n in range(4, -1, -1)]


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
    # The session with the user, their person and the navigation counts, the first page of messages with their count.
    assert len(few.captured_queries) == len(many.captured_queries) == 2

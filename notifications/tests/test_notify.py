import pytest

from notifications import sms
from notifications.models import Notification
from notifications.services import notify


@pytest.mark.django_db(transaction=True)
def test_creates_message_and_sends_sms_after_commit(alice):
    notify(person=alice.person, title="T", body="B", link="/x/")
    assert Notification.objects.get(recipient=alice.person).link == "/x/"
    assert sms.outbox == [("13800000001", "【共济通】T：B")]


@pytest.mark.django_db
def test_defers_the_sms_until_commit(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(person=alice.person, title="T", body="B")
    assert len(callbacks) == 1
    assert sms.outbox == []


@pytest.mark.django_db
def test_skips_sms_without_a_mobile(make_person, django_capture_on_commit_callbacks):
    person = make_person(mobile="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=person, title="T", body="B")
    assert sms.outbox == [] and Notification.objects.filter(recipient=person).count() == 1


@pytest.mark.django_db
def test_skips_sms_when_asked(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=alice.person, title="T", body="B", sms=False)
    assert sms.outbox == []

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify


@pytest.mark.django_db
def test_lists_my_messages_only(client, alice, bob):
    notify(person=alice.person, title="mine", body="b")
    notify(person=bob.person, title="theirs", body="b")
    client.force_login(alice)
    response = client.get(reverse("notifications:inbox"))
    assert [n.title for n in response.context["items"]] == ["mine"]


@pytest.mark.django_db
def test_shows_the_unread_count_in_nav(client, alice):
    notify(person=alice.person, title="mine", body="b")
    client.force_login(alice)
    response = client.get(reverse("notifications:inbox"))
    assert response.context["nav_unread_count"]() == 1


@pytest.mark.django_db
def test_marks_one_read(client, alice):
    n = notify(person=alice.person, title="mine", body="b")
    other = notify(person=alice.person, title="other", body="b")
    client.force_login(alice)
    response = client.post(reverse("notifications:mark_read"), {"notification": n.pk})
    assert response.status_code == 302
    n.refresh_from_db()
    other.refresh_from_db()
    assert n.read_at is not None and other.read_at is None


@pytest.mark.django_db
def test_marks_all_read(client, alice):
    notify(person=alice.person, title="a", body="b")
    notify(person=alice.person, title="c", body="b")
    client.force_login(alice)
    client.post(reverse("notifications:mark_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.django_db
def test_cannot_mark_another_persons_message(client, alice, bob):
    n = notify(person=bob.person, title="theirs", body="b")
    client.force_login(alice)
    client.post(reverse("notifications:mark_read"), {"notification": n.pk})
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.django_db
def test_sends_anonymous_to_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.django_db
def test_a_get_of_mark_read_goes_back_to_the_inbox_and_marks_nothing(client, alice):
    client.force_login(alice)
    response = client.get(reverse("notifications:mark_read"))
    assert response.status_code == 302 and response.url == reverse("notifications:inbox")


@pytest.mark.django_db
def test_sends_staff_to_the_hall_workspace(client, hall_staff):
    client.force_login(hall_staff)
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 403 and reverse("hall:workspace") in response.text

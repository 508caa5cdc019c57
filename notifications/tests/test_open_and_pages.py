import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify


@pytest.mark.django_db
def test_opening_a_message_marks_it_read_and_goes_where_it_points(client, alice):
    n = notify(person=alice.person, title="t", body="b", link=reverse("sharing:records"), sms=False)
    client.force_login(alice)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert f'href="{reverse("notifications:open", args=[n.pk])}"' in page
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response.url == reverse("sharing:records")
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.django_db
def test_opening_never_leaves_the_site_nor_reads_another_persons_message(client, alice, bob):
    outside = notify(person=alice.person, title="t", body="b", link="https://evil.example/", sms=False)
    theirs = notify(person=bob.person, title="t", body="b", sms=False)
    client.force_login(alice)
    response = client.get(reverse("notifications:open", args=[outside.pk]))
    assert response.url == f"{reverse('notifications:inbox')}#notification-{outside.pk}"
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_the_list_pages(client, alice):
    for i in range(25):
        notify(person=alice.person, title=f"m{i}", body="b", sms=False)
    client.force_login(alice)
    first = client.get(reverse("notifications:inbox"))
    assert len(first.context["items"]) == 20 and "?page=2" in first.content.decode()
    second = client.get(reverse("notifications:inbox"), {"page": 2})
    assert len(second.context["items"]) == 5
    assert {n.title for n in first.context["items"] + second.context["items"]} == {f"m{i}" for i in range(25)}
    assert Notification.objects.filter(read_at__isnull=False).count() == 0  # listing reads nothing

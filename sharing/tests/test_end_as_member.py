"""The member ends a binding from "who shares with me": a confirmation page, then POST; the records say who ended it."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import Notification
from sharing.models import Binding

S = Binding.Status


@pytest.fixture
def member_user(make_citizen):
    return make_citizen(name="王成年", birth=datetime.date(2004, 2, 2), mobile="13800000077")


@pytest.fixture
def binding(alice, member_user, bind):
    return bind(alice, member_user.person, "child")


def url(binding):
    return reverse("sharing:end_as_member", args=[binding.pk])


@pytest.mark.django_db
def test_who_shares_with_me_offers_to_end_an_active_binding(client, member_user, binding):
    client.force_login(member_user)
    page = client.get(reverse("sharing:my_authorizers")).content.decode()
    assert url(binding) in page


@pytest.mark.django_db
def test_asks_for_confirmation_and_ends_the_binding_on_post(client, alice, member_user, binding):
    client.force_login(member_user)
    confirm = client.get(url(binding))
    assert confirm.status_code == 200 and alice.person.name in confirm.content.decode()
    assert Binding.objects.get(pk=binding.pk).status == S.ACTIVE  # showing the page changes nothing
    response = client.post(url(binding))
    assert response.status_code == 302 and response.url == reverse("sharing:my_authorizers")
    ended = Binding.objects.get(pk=binding.pk)
    assert ended.status == S.ENDED and ended.status_reason == "ENDED_BY_MEMBER"
    assert AuditEvent.objects.get(subject_id=str(binding.pk), event="binding.ended_by_member").actor == member_user
    assert Notification.objects.filter(recipient=alice.person, body__contains=binding.reference).count() == 2
    # The member's list says they ended it, and offers nothing more to end.
    page = client.get(reverse("sharing:my_authorizers")).content.decode()
    assert "ENDED_BY_MEMBER" in page and url(binding) not in page


@pytest.mark.django_db
def test_the_authorizers_records_show_that_the_member_ended_it(client, alice, member_user, binding):
    client.force_login(member_user)
    client.post(url(binding))
    client.force_login(alice)
    records = client.get(reverse("sharing:records"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ENDED_BY_MEMBER" in records
    detail = client.get(reverse("sharing:binding_detail", args=[binding.pk])).content.decode()
    assert "ENDED_BY_MEMBER" in detail and reverse("sharing:unbind", args=[binding.pk]) not in detail


@pytest.mark.django_db
def test_an_ended_binding_has_nothing_to_end(client, member_user, binding):
    client.force_login(member_user)
    client.post(url(binding))
    response = client.post(url(binding))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(subject_id=str(binding.pk), event="binding.ended_by_member").count() == 1


@pytest.mark.django_db
def test_only_the_member_may_end_it(client, alice, dave, binding):
    for user in (alice, dave):  # the authorizer unbinds from their records; an outsider sees nothing
        client.force_login(user)
        assert client.get(url(binding)).status_code == 404
        assert client.post(url(binding)).status_code == 404
    assert Binding.objects.get(pk=binding.pk).status == S.ACTIVE


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client, binding):
    response = client.post(url(binding))
    assert response.status_code == 302 and "login" in response.url
    assert Binding.objects.get(pk=binding.pk).status == S.ACTIVE


@pytest.mark.django_db
def test_refuses_other_methods(client, member_user, binding):
    client.force_login(member_user)
    assert client.put(url(binding)).status_code == 405

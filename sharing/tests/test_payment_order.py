"""The member's paying order: stored per binding, changed by an audited service, shown with up/down buttons."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from sharing.eligibility.payment import payment_order
from sharing.payment_order import payment_order_move
from sharing.selectors import active_bindings_for_member
from sharing.services import BindingRefused, binding_unbind


@pytest.fixture
def bobs_parents(alice, bob, make_citizen, bind):
    """Three authorizers of bob, active in this order: his father, his mother, then alice (his spouse)."""
    from sharing.services import binding_consent

    father = make_citizen(name="王父", birth=datetime.date(1958, 1, 1), balance="100.00", mobile="13700000041")
    mother = make_citizen(name="李母", birth=datetime.date(1960, 1, 1), balance="100.00", mobile="13700000042",
                          sex="F")
    first, second = bind(father, bob.person), bind(mother, bob.person)
    return [first, second, binding_consent(binding=bind(alice, bob.person, "spouse"), agree=True, actor=bob)]


def order_of(person):
    return [b.pk for b in payment_order(list(active_bindings_for_member(person)))]


@pytest.mark.django_db
def test_the_default_order_is_earliest_activation_first(bob, bobs_parents):
    assert order_of(bob.person) == [b.pk for b in bobs_parents]


@pytest.mark.django_db
def test_the_member_moves_an_authorizer_up_and_the_move_is_audited(bob, bobs_parents):
    father, mother, grandpa = bobs_parents
    payment_order_move(member=bob.person, binding_id=grandpa.pk, direction="up", actor=bob)
    assert order_of(bob.person) == [father.pk, grandpa.pk, mother.pk]
    payment_order_move(member=bob.person, binding_id=grandpa.pk, direction="up", actor=bob)
    assert order_of(bob.person) == [grandpa.pk, father.pk, mother.pk]
    event = AuditEvent.objects.filter(event="binding.payment_order").order_by("-id").first()
    assert event.actor_id == bob.pk and event.subject_id == str(grandpa.pk)
    assert event.before["order"] == [father.reference, grandpa.reference, mother.reference]
    assert event.after["order"] == [grandpa.reference, father.reference, mother.reference]


@pytest.mark.django_db
def test_moving_the_first_up_changes_nothing(bob, bobs_parents):
    payment_order_move(member=bob.person, binding_id=bobs_parents[0].pk, direction="up", actor=bob)
    assert order_of(bob.person) == [b.pk for b in bobs_parents]
    assert not AuditEvent.objects.filter(event="binding.payment_order").exists()


@pytest.mark.django_db
def test_a_binding_activated_later_pays_after_the_ones_the_member_placed(bob, bobs_parents, make_citizen, bind):
    father, mother, grandpa = bobs_parents
    payment_order_move(member=bob.person, binding_id=mother.pk, direction="up", actor=bob)
    son = make_citizen(name="王子", birth=datetime.date(2004, 1, 1), balance="1.00", mobile="13700000044")
    late = bind(son, bob.person, "parent")
    assert order_of(bob.person) == [mother.pk, father.pk, grandpa.pk, late.pk]


@pytest.mark.django_db
def test_an_ended_binding_cannot_be_moved(bob, bobs_parents):
    binding_unbind(binding=bobs_parents[1], actor=None)
    with pytest.raises(BindingRefused) as refused:
        payment_order_move(member=bob.person, binding_id=bobs_parents[1].pk, direction="up", actor=bob)
    assert refused.value.reasons[0].code == "BINDING_STATE_CHANGED"


# --- the page --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_lists_the_paying_order_with_buttons_that_work_without_javascript(client, bob, bobs_parents):
    father, mother, grandpa = bobs_parents
    client.force_login(bob)
    page = client.get(reverse("sharing:my_authorizers")).content.decode()
    section = page.split('id="payment-order"', 1)[1]
    assert section.index("王父") < section.index("李母") < section.index("张丽")
    url = reverse("sharing:payment_order_move", args=[mother.pk])
    assert f'action="{url}"' in section and 'name="direction" value="up"' in section
    response = client.post(url, {"direction": "up"})
    assert response.status_code == 302 and response.url.endswith("#payment-order")
    assert order_of(bob.person) == [mother.pk, father.pk, grandpa.pk]
    page = client.get(response.url).content.decode()
    section = page.split('id="payment-order"', 1)[1]
    assert section.index("李母") < section.index("王父")


@pytest.mark.django_db
def test_a_bad_direction_changes_nothing_and_says_why(client, bob, bobs_parents):
    client.force_login(bob)
    response = client.post(reverse("sharing:payment_order_move", args=[bobs_parents[1].pk]), {"direction": "top"},
                           follow=True)
    assert order_of(bob.person) == [b.pk for b in bobs_parents]
    assert [str(m) for m in response.context["messages"]] == ["请选择上移或下移。"]


@pytest.mark.django_db
def test_only_the_member_may_move_a_binding(client, alice, bobs_parents):
    client.force_login(alice)
    response = client.post(reverse("sharing:payment_order_move", args=[bobs_parents[1].pk]), {"direction": "up"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_and_get_is_refused(client, bob, bobs_parents):
    url = reverse("sharing:payment_order_move", args=[bobs_parents[1].pk])
    response = client.post(url, {"direction": "up"})
    assert response.status_code == 302 and "login" in response.url
    client.force_login(bob)
    # A GET goes back to the page instead of a bare 405 (after logging in again, the browser comes back by GET).
    response = client.get(url)
    assert response.status_code == 302 and response.url == reverse("sharing:my_authorizers")


def test_a_move_locks_the_bindings_in_the_order_a_settlement_does(bob, bobs_parents):
    # settlement.loaders locks a member's active bindings ORDER BY id; locking them in paying order instead made a
    # move and a settlement wait on each other in a cycle once the order had been changed (deadlock).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    second = payment_order(list(active_bindings_for_member(bob.person)))[1]
    payment_order_move(member=bob.person, binding_id=second.pk, direction="up", actor=bob)
    with CaptureQueriesContext(connection) as queries:
        payment_order_move(member=bob.person, binding_id=second.pk, direction="down", actor=bob)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"] and '"sharing_binding"' in q["sql"]]
    assert len(locks) == 1, locks
    assert locks[0].split("ORDER BY")[1].split("FOR UPDATE")[0].strip() == '"sharing_binding"."id" ASC', locks[0]

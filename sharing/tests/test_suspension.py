"""An official's suspension for cause, and lifting it: through the real services."""

import pytest

from audit.models import AuditEvent
from notifications.models import Notification
from sharing.models import Binding
from sharing.review import OFFICIAL_SUSPENSION, binding_lift_suspension, binding_suspend, person_reevaluate
from sharing.services import BindingRefused, binding_unbind

S = Binding.Status


@pytest.fixture
def official(db):
    from accounts.models import User

    return User.objects.create_user(username="official_xz", password="x", role="official", is_staff=True,
                                    scope_region_id="320300")


@pytest.mark.django_db
def test_suspends_for_cause_audits_and_tells_both_sides(alice, charlie, bind, official):
    binding = bind(alice, charlie)
    suspended = binding_suspend(binding=binding, actor=official, cause="fraud report 17")
    binding.refresh_from_db()
    assert binding.status == S.SUSPENDED and binding.status_reason == OFFICIAL_SUSPENSION == suspended.status_reason
    event = AuditEvent.objects.get(subject_id=str(binding.pk), event="binding.suspended_by_official")
    assert event.actor == official and event.before["status"] == "active"
    assert event.after == {**event.after, "status": "suspended", "status_reason": OFFICIAL_SUSPENSION,
                           "cause": "fraud report 17"}
    for person in (alice.person, charlie):
        assert Notification.objects.filter(recipient=person).count() == 2  # bound, then suspended


@pytest.mark.django_db
def test_refuses_to_suspend_twice_or_a_binding_not_live(alice, charlie, bind, official):
    binding = bind(alice, charlie)
    binding_suspend(binding=binding, actor=official, cause="first")
    with pytest.raises(BindingRefused, match="BINDING_STATE_CHANGED"):
        binding_suspend(binding=binding, actor=official, cause="again")
    binding_unbind(binding=binding, actor=alice)
    with pytest.raises(BindingRefused, match="BINDING_STATE_CHANGED"):
        binding_suspend(binding=binding, actor=official, cause="ended")
    with pytest.raises(BindingRefused, match="BINDING_STATE_CHANGED"):
        binding_lift_suspension(binding=binding, actor=official)


@pytest.mark.django_db
def test_reevaluation_does_not_lift_an_official_suspension(alice, charlie, bind, official):
    binding = bind(alice, charlie)
    charlie.status = "suspended"
    charlie.save()
    person_reevaluate(person=charlie)
    binding.refresh_from_db()
    assert binding.status_reason == "MEMBER_NOT_ENROLLED"
    # An official suspends the binding already suspended by the registry: the cause takes over.
    binding_suspend(binding=binding, actor=official, cause="investigation")
    charlie.status = "active"
    charlie.save()
    assert person_reevaluate(person=charlie) == []
    binding.refresh_from_db()
    assert binding.status == S.SUSPENDED and binding.status_reason == OFFICIAL_SUSPENSION


@pytest.mark.django_db
def test_lifting_activates_when_the_rules_hold(alice, charlie, bind, official):
    binding = bind(alice, charlie)
    binding_suspend(binding=binding, actor=official, cause="checked: no fraud")
    binding_lift_suspension(binding=binding, actor=official)
    binding.refresh_from_db()
    assert binding.status == S.ACTIVE and binding.status_reason == ""
    event = AuditEvent.objects.get(subject_id=str(binding.pk), event="binding.suspension_lifted")
    assert event.actor == official and event.after["status"] == "active"
    assert Notification.objects.filter(recipient=charlie).count() == 3


@pytest.mark.django_db
def test_lifting_keeps_a_binding_suspended_while_a_rule_is_broken(alice, charlie, bind, official):
    binding = bind(alice, charlie)
    binding_suspend(binding=binding, actor=official, cause="cause")
    charlie.status = "suspended"
    charlie.save()
    person_reevaluate(person=charlie)
    binding_lift_suspension(binding=binding, actor=official)
    binding.refresh_from_db()
    assert binding.status == S.SUSPENDED and binding.status_reason == "MEMBER_NOT_ENROLLED"
    # ... and it comes back by itself once the registry is right again.
    charlie.status = "active"
    charlie.save()
    person_reevaluate(person=charlie)
    binding.refresh_from_db()
    assert binding.status == S.ACTIVE


def test_the_records_page_explains_an_official_suspension_as_such(alice, charlie):
    from sharing.models import Binding
    from sharing.selectors import status_reason

    binding = Binding(status=Binding.Status.SUSPENDED, status_reason="OFFICIAL_SUSPENSION")
    assert status_reason(binding).code == "OFFICIAL_SUSPENSION"

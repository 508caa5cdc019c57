import datetime

import pytest
from django.utils import translation

from audit.models import AuditEvent
from core.reasons import Refused
from family import services
from family.models import FamilyMembership
from notifications.models import Notification


def _add(user, person, relation="child", **kwargs):
    return services.family_member_add(actor=user, holder=user.person, relation=relation, member_name=person.name,
                                      member_certno=person.certno, **kwargs)


def _refused(call):
    with pytest.raises(Refused) as info:
        call()
    return info.value.reason.code


def test_adds_a_minor_child_at_once(alice, charlie, bind):
    bind(alice.person, charlie)
    membership = _add(alice, charlie)
    assert membership.status == "active" and membership.added_as_minor
    assert AuditEvent.objects.filter(event="family.member_added", subject_id=str(membership.pk)).exists()


def test_an_adult_must_agree_first(alice, bob):
    membership = _add(alice, bob.person, relation="spouse")
    assert membership.status == "awaiting_consent"
    note = Notification.objects.get(recipient=bob.person)
    assert str(membership.pk) in note.link
    services.family_request_answer(actor=bob, membership=membership, agree=True)
    membership.refresh_from_db()
    assert membership.status == "active"
    assert Notification.objects.filter(recipient=alice.person).exists()
    assert AuditEvent.objects.filter(event="family.request_agreed").exists()


def test_an_adult_may_refuse(alice, bob):
    membership = _add(alice, bob.person, relation="spouse")
    services.family_request_answer(actor=bob, membership=membership, agree=False)
    membership.refresh_from_db()
    assert membership.status == "refused"
    assert _refused(lambda: services.family_request_answer(actor=bob, membership=membership, agree=True)) \
        == "FAMILY_ALREADY_CHANGED"


def test_an_adult_present_at_a_hall_is_added_at_once(alice, bob, hall_staff):
    membership = _add(alice, bob.person, relation="spouse", member_present=True, hall=hall_staff.hall)
    assert membership.status == "active" and membership.channel == "hall"


def test_a_request_can_be_withdrawn(alice, bob):
    membership = _add(alice, bob.person, relation="spouse")
    services.family_request_withdraw(actor=alice, membership=membership)
    membership.refresh_from_db()
    assert membership.status == "withdrawn"


def test_the_name_must_match_the_id_number(alice, charlie):
    code = _refused(lambda: services.family_member_add(actor=alice, holder=alice.person, relation="child",
                                                       member_name="别人", member_certno=charlie.certno))
    assert code == "MEMBER_IDENTITY_MISMATCH"


def test_nobody_adds_themselves(alice):
    assert _refused(lambda: _add(alice, alice.person)) == "FAMILY_SELF"


def test_nobody_is_added_twice(alice, charlie, bind):
    bind(alice.person, charlie)
    _add(alice, charlie)
    assert _refused(lambda: _add(alice, charlie)) == "FAMILY_ALREADY_ADDED"


def test_a_minor_is_added_directly_only_as_a_child(alice, make_person):
    nephew = make_person(name="侄子", birth=datetime.date(2016, 1, 1), insutype="390")
    assert _refused(lambda: _add(alice, nephew, relation="other")) == "FAMILY_MINOR_PARENT_ONLY"


def test_a_parent_must_be_clearly_older_than_the_child(make_citizen, make_person):
    young = make_citizen(name="年轻人", birth=datetime.date(2004, 1, 1), mobile="13600000009")
    child = make_person(name="小孩", birth=datetime.date(2012, 1, 1), insutype="390")
    assert _refused(lambda: _add(young, child)) == "RELATION_IMPLAUSIBLE"


def test_the_limit_is_five_members(alice, make_person, bind):
    kids = [make_person(name=f"孩子{i}", birth=datetime.date(2012, 1, 1 + i), insutype="390") for i in range(6)]
    for kid in kids:
        bind(alice.person, kid)
    for kid in kids[:5]:
        _add(alice, kid)
    assert _refused(lambda: _add(alice, kids[5])) == "FAMILY_LIMIT_REACHED"


def test_waiting_requests_count_towards_the_limit(alice, bob, make_person, hall):
    _add(alice, bob.person, relation="spouse")
    for i in range(4):
        _add(alice, make_person(name=f"孩子{i}", birth=datetime.date(2013, 1, 1 + i), insutype="390"),
             member_present=True, hall=hall)
    extra = make_person(name="多一个", birth=datetime.date(2014, 5, 5), insutype="390")
    assert _refused(lambda: _add(alice, extra, member_present=True, hall=hall)) == "FAMILY_LIMIT_REACHED"


def test_removing_a_member_frees_a_place(alice, make_person, bind):
    kids = [make_person(name=f"孩子{i}", birth=datetime.date(2012, 1, 1 + i), insutype="390") for i in range(6)]
    for kid in kids:
        bind(alice.person, kid)
    memberships = [_add(alice, kid) for kid in kids[:5]]
    services.family_member_remove(actor=alice, membership=memberships[0])
    assert _add(alice, kids[5]).status == "active"
    assert AuditEvent.objects.filter(event="family.member_removed").count() == 1


def test_the_member_may_leave_and_the_holder_is_told(alice, bob):
    membership = _add(alice, bob.person, relation="spouse", member_present=True)
    services.family_member_remove(actor=bob, membership=membership)
    membership.refresh_from_db()
    assert membership.status == "removed"
    assert Notification.objects.filter(recipient=alice.person, title__isnull=False).count() >= 1


def test_removed_then_added_again_is_a_new_membership(alice, charlie, bind):
    bind(alice.person, charlie)
    first = _add(alice, charlie)
    services.family_member_remove(actor=alice, membership=first)
    second = _add(alice, charlie)
    assert second.pk != first.pk and FamilyMembership.objects.filter(member=charlie).count() == 2


# A minor cannot agree, and the child's code pays from the child's own sources (the parents' shared accounts
# included): online, only a parent who signed a commitment letter for the child adds them; otherwise a hall.

def test_an_unrelated_adult_cannot_add_someone_elses_child_online(alice, charlie, dave, bind):
    bind(alice.person, charlie)
    assert _refused(lambda: _add(dave, charlie)) == "FAMILY_MINOR_NEEDS_PROOF"
    assert not FamilyMembership.objects.filter(member=charlie).exists()
    # Saying "the child is here" online is no proof either: only a hall (staff saw the household register) counts.
    assert _refused(lambda: _add(dave, charlie, member_present=True)) == "FAMILY_MINOR_NEEDS_PROOF"


def test_the_refusal_says_what_to_do(alice, charlie):
    with pytest.raises(Refused) as info:
        _add(alice, charlie)
    reason = info.value.reason
    assert reason.code == "FAMILY_MINOR_NEEDS_PROOF"
    with translation.override("en"):
        assert "户口簿" in str(reason.next_step) and "Bind" in str(reason.next_step)


def test_an_ended_binding_is_no_proof(alice, charlie, bind):
    from sharing.services import binding_unbind

    binding = bind(alice.person, charlie)
    binding_unbind(binding=binding, actor=alice)
    assert _refused(lambda: _add(alice, charlie)) == "FAMILY_MINOR_NEEDS_PROOF"


def test_a_parent_who_shares_with_the_child_adds_them_online(alice, charlie, bind):
    bind(alice.person, charlie)
    before = Notification.objects.count()
    membership = _add(alice, charlie)
    assert membership.status == "active" and membership.channel == "online"
    # Nobody else shares with the child; the parent is not told about their own action.
    assert Notification.objects.count() == before


def test_at_a_hall_the_household_register_is_the_proof(dave, charlie, hall):
    membership = _add(dave, charlie, member_present=True, hall=hall)
    assert membership.status == "active" and membership.channel == "hall" and membership.added_as_minor


def test_the_childs_other_authorizers_are_told(alice, bob, charlie, dave, hall, bind):
    with translation.override("en"):  # messages are stored in the language active when sent
        bind(alice.person, charlie)
        bind(bob.person, charlie)
        Notification.objects.all().delete()  # the bindings' own messages
        _add(alice, charlie)
        [note] = Notification.objects.filter(recipient=bob.person)
        assert alice.person.name in note.title and charlie.name in note.title
        assert "service hall" in note.body and "/sharing/" in note.link
        assert not Notification.objects.filter(recipient=alice.person).exists()
        _add(dave, charlie, member_present=True, hall=hall)
        for parent in [alice.person, bob.person]:
            assert Notification.objects.filter(recipient=parent, title__contains=dave.person.name).count() == 1

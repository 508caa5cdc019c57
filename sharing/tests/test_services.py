"""Every life-cycle transition of rules.md, through the real services."""

import datetime

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from notifications import sms
from notifications.models import Notification
from sharing.models import Binding, CommitmentLetter
from sharing.review import bindings_expire_due, person_reevaluate
from sharing.selectors import effective_status, status_reason
from sharing.services import BindingRefused, binding_consent, binding_create, binding_unbind, binding_withdraw

S = Binding.Status


@pytest.mark.django_db
def test_activates_a_child_binding_at_once(alice, charlie, bind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        binding = bind(alice, charlie)
    assert binding.status == S.ACTIVE and binding.activated_at
    assert binding.reference.startswith("GJ") and len(binding.letter_sha256) == 64
    assert binding.letter.version == 1 and binding.typed_name == "张丽"
    event = AuditEvent.objects.get(subject_id=str(binding.pk))
    assert event.event == "binding.created" and event.actor == alice and event.after["status"] == "active"
    assert Notification.objects.filter(recipient=alice.person).count() == 1
    assert Notification.objects.filter(recipient=charlie).count() == 1
    assert [m for m, _t in sms.outbox] == ["13800000001"]  # charlie has no mobile


@pytest.mark.django_db
def test_refuses_with_every_reason(alice, make_person, bind):
    in_law = make_person(address="340102", region="340100", birth=datetime.date(1990, 1, 1), insutype="390")
    with pytest.raises(BindingRefused) as refused:
        bind(alice, in_law, "parent_in_law")
    assert {r.code for r in refused.value.reasons} == {"RELATION_NOT_ALLOWED", "CROSS_PROVINCE_NOT_ALLOWED"}
    assert not Binding.objects.exists()


@pytest.mark.django_db
def test_refuses_a_typed_name_that_is_not_the_registered_name(alice, charlie, sign):
    with pytest.raises(ValueError):
        binding_create(**{**sign(alice), "typed_name": "别人"}, member=charlie, relation="child")


@pytest.mark.django_db
def test_hashes_the_letter_and_answers(alice, charlie, bob, bind):
    one = bind(alice, charlie)
    two = bind(alice, bob.person, "spouse")
    assert one.letter_sha256 != two.letter_sha256


@pytest.mark.django_db
def test_makes_a_spouse_binding_wait_for_consent(alice, bob, bind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        binding = bind(alice, bob.person, "spouse")
    assert binding.status == S.AWAITING_CONSENT and binding.activated_at is None
    assert binding.consent_deadline - binding.signed_at == datetime.timedelta(days=7)
    assert status_reason(binding).code == "SPOUSE_CONSENT_PENDING"
    assert any("consent inbox" in text or "授权" in text for m, text in sms.outbox if m == bob.mobile)


@pytest.mark.django_db
def test_tells_a_spouse_without_account_to_register_or_go_to_a_hall(alice, make_person, bind,
                                                                       django_capture_on_commit_callbacks):
    spouse = make_person(birth=datetime.date(1984, 1, 1), mobile="13800000099")
    with django_capture_on_commit_callbacks(execute=True):
        bind(alice, spouse, "spouse")
    (text,) = [t for m, t in sms.outbox if m == "13800000099"]
    assert "Register" in text or "注册" in text


@pytest.mark.django_db
def test_activates_when_the_spouse_agrees(alice, bob, bind):
    binding = bind(alice, bob.person, "spouse")
    binding = binding_consent(binding=binding, agree=True, actor=bob)
    assert binding.status == S.ACTIVE and binding.answered_at and binding.activated_at
    assert AuditEvent.objects.filter(subject_id=str(binding.pk), event="binding.consented", actor=bob).exists()


@pytest.mark.django_db
def test_records_a_refusal(alice, bob, bind):
    binding = binding_consent(binding=bind(alice, bob.person, "spouse"), agree=False, actor=bob)
    assert binding.status == S.REFUSED
    assert status_reason(binding).code == "SPOUSE_REFUSED"


@pytest.mark.django_db
def test_refuses_a_second_answer(alice, bob, bind):
    binding = bind(alice, bob.person, "spouse")
    binding_consent(binding=binding, agree=False, actor=bob)
    with pytest.raises(BindingRefused) as refused:
        binding_consent(binding=binding, agree=True, actor=bob)
    assert refused.value.reasons[0].code == "BINDING_STATE_CHANGED"


@pytest.mark.django_db
def test_lets_the_authorizer_withdraw_a_pending_request(alice, bob, bind):
    binding = binding_withdraw(binding=bind(alice, bob.person, "spouse"), actor=alice)
    assert binding.status == S.WITHDRAWN and binding.ended_at
    # A withdrawn request no longer blocks a new one.
    assert bind(alice, bob.person, "spouse").status == S.AWAITING_CONSENT


@pytest.mark.django_db
def test_shows_an_overdue_request_as_expired_without_any_job(alice, bob, bind):
    binding = bind(alice, bob.person, "spouse")
    later = binding.consent_deadline + datetime.timedelta(seconds=1)
    assert effective_status(binding, later) == S.EXPIRED
    Binding.objects.filter(pk=binding.pk).update(consent_deadline=timezone.now() - datetime.timedelta(seconds=1))
    binding.refresh_from_db()
    assert binding.status == S.AWAITING_CONSENT and effective_status(binding) == S.EXPIRED
    assert status_reason(binding).code == "CONSENT_EXPIRED"
    # The spouse had the policy's 7 days, never "-1 days" (the deadline was moved by hand here).
    assert "7" in str(status_reason(binding).message) and "-" not in str(status_reason(binding).message)


@pytest.mark.django_db
def test_an_expired_request_says_how_many_days_the_spouse_had(alice, bob, bind):
    binding = bind(alice, bob.person, "spouse")
    Binding.objects.filter(pk=binding.pk).update(consent_deadline=binding.signed_at + datetime.timedelta(days=7,
                                                                                                         minutes=3))
    binding.refresh_from_db()
    reason = status_reason(binding, binding.consent_deadline + datetime.timedelta(days=1))
    assert reason.code == "CONSENT_EXPIRED" and "7" in str(reason.message)


@pytest.mark.django_db
def test_refuses_a_late_answer_as_expired_and_records_it(alice, bob, bind):
    binding = bind(alice, bob.person, "spouse")
    Binding.objects.filter(pk=binding.pk).update(consent_deadline=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(BindingRefused) as refused:
        binding_consent(binding=binding, agree=True, actor=bob)
    assert refused.value.reasons[0].code == "CONSENT_EXPIRED"


@pytest.mark.django_db
def test_expires_due_requests_in_the_periodic_job(alice, bob, bind, django_capture_on_commit_callbacks):
    binding = bind(alice, bob.person, "spouse")
    Binding.objects.filter(pk=binding.pk).update(consent_deadline=timezone.now() - datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert bindings_expire_due() == 1
    assert bindings_expire_due() == 0
    binding.refresh_from_db()
    assert binding.status == S.EXPIRED and binding.status_reason == "CONSENT_EXPIRED"
    assert AuditEvent.objects.filter(subject_id=str(binding.pk), event="binding.expired", actor=None).exists()


@pytest.mark.django_db
def test_expires_through_the_management_command(alice, bob, bind):
    from django.core.management import call_command

    binding = bind(alice, bob.person, "spouse")
    Binding.objects.filter(pk=binding.pk).update(consent_deadline=timezone.now() - datetime.timedelta(seconds=1))
    call_command("expire_bindings")
    binding.refresh_from_db()
    assert binding.status == S.EXPIRED


@pytest.mark.django_db
def test_lets_a_new_spouse_request_replace_an_overdue_one(alice, bob, bind):
    old = bind(alice, bob.person, "spouse")
    Binding.objects.filter(pk=old.pk).update(consent_deadline=timezone.now() - datetime.timedelta(seconds=1))
    new = bind(alice, bob.person, "spouse")
    old.refresh_from_db()
    assert old.status == S.EXPIRED and new.status == S.AWAITING_CONSENT


@pytest.mark.django_db
def test_unbinds_at_once(alice, charlie, bind):
    binding = binding_unbind(binding=bind(alice, charlie), actor=alice)
    assert binding.status == S.ENDED and binding.ended_at
    event = AuditEvent.objects.get(subject_id=str(binding.pk), event="binding.unbound")
    assert event.before["status"] == "active" and event.after["status"] == "ended"


@pytest.mark.django_db
def test_records_hall_staff_unbinding(alice, charlie, bind, hall_staff):
    binding = binding_unbind(binding=bind(alice, charlie), actor=alice, staff=hall_staff)
    event = AuditEvent.objects.get(subject_id=str(binding.pk), event="binding.unbound")
    assert event.actor == hall_staff and event.channel == "hall" and event.hall == hall_staff.hall


@pytest.mark.django_db
def test_refuses_to_unbind_twice(alice, charlie, bind):
    binding = bind(alice, charlie)
    binding_unbind(binding=binding, actor=alice)
    with pytest.raises(BindingRefused):
        binding_unbind(binding=binding, actor=alice)


@pytest.mark.django_db
def test_suspends_on_a_registry_break_and_resumes_when_it_holds_again(alice, charlie, bind):
    binding = bind(alice, charlie)
    charlie.status = "suspended"
    charlie.save()
    assert [b.pk for b in person_reevaluate(person=charlie)] == [binding.pk]
    binding.refresh_from_db()
    assert binding.status == S.SUSPENDED and binding.status_reason == "MEMBER_NOT_ENROLLED"
    assert status_reason(binding).code == "MEMBER_NOT_ENROLLED"
    assert person_reevaluate(person=charlie) == []  # nothing more to do
    charlie.status = "active"
    charlie.save()
    person_reevaluate(person=charlie)
    binding.refresh_from_db()
    assert binding.status == S.ACTIVE and binding.status_reason == ""
    events = list(AuditEvent.objects.filter(subject_id=str(binding.pk)).values_list("event", flat=True))
    assert {"binding.suspended", "binding.resumed"} <= set(events)
    assert Notification.objects.filter(recipient=alice.person, title__icontains="suspend").exists() or \
        Notification.objects.filter(recipient=alice.person).count() == 3


@pytest.mark.django_db
def test_suspends_when_the_member_moves_to_a_region_not_allowed(alice, charlie, bind):
    binding = bind(alice, charlie)
    charlie.region_id = "340100"
    charlie.save()
    person_reevaluate(person=charlie)
    binding.refresh_from_db()
    assert binding.status_reason == "CROSS_PROVINCE_NOT_ALLOWED"


@pytest.mark.django_db
def test_ends_a_broken_binding_where_the_policy_says_end(make_person, bind, make_citizen):
    worker = make_citizen(address="110105", region="110000", birth=datetime.date(1980, 5, 5))
    father = make_person(address="130102", region="130100", birth=datetime.date(1950, 10, 1), insutype="390")
    binding = bind(worker, father, "parent")
    worker.person.status = "ended"
    worker.person.save()
    person_reevaluate(person=worker.person)
    binding.refresh_from_db()
    assert binding.status == S.ENDED and binding.status_reason == "AUTHORIZER_NOT_ENROLLED"


@pytest.mark.django_db
def test_does_not_resume_a_binding_suspended_for_another_cause(alice, charlie, bind):
    binding = bind(alice, charlie)
    Binding.objects.filter(pk=binding.pk).update(status=S.SUSPENDED, status_reason="OFFICIAL")
    person_reevaluate(person=charlie)
    binding.refresh_from_db()
    assert binding.status == S.SUSPENDED


@pytest.mark.django_db
def test_suspends_a_spouse_agreeing_while_a_rule_is_broken(alice, bob, bind):
    binding = bind(alice, bob.person, "spouse")
    bob.person.status = "suspended"
    bob.person.save()
    binding = binding_consent(binding=binding, agree=True, actor=bob)
    assert binding.status == S.SUSPENDED and binding.status_reason == "MEMBER_NOT_ENROLLED"


@pytest.mark.django_db
def test_never_edits_the_signed_part(alice, charlie, bind):
    binding = bind(alice, charlie)
    for change in [{"typed_name": "x"}, {"letter_sha256": "0" * 64}, {"signed_at": timezone.now()},
                   {"member_id": alice.person.pk}, {"signature_method": "drawn"}]:
        with pytest.raises(DatabaseError), transaction.atomic():
            Binding.objects.filter(pk=binding.pk).update(**change)
    with pytest.raises(DatabaseError), transaction.atomic():
        Binding.objects.filter(pk=binding.pk).delete()


@pytest.mark.django_db
def test_never_edits_a_signed_letter_version(alice, charlie, bind):
    bind(alice, charlie)
    with pytest.raises(DatabaseError), transaction.atomic():
        CommitmentLetter.objects.filter(version=1).update(body="changed")
    unsigned = CommitmentLetter.objects.create(version=2, title="t", body="b")
    CommitmentLetter.objects.filter(pk=unsigned.pk).update(body="fixed typo")


@pytest.mark.django_db
def test_signs_against_the_newest_letter(alice, charlie, bind):
    CommitmentLetter.objects.create(version=2, title="承诺书", body="新版本")
    assert bind(alice, charlie).letter.version == 2


@pytest.mark.django_db
def test_reevaluates_bindings_when_the_registry_import_changes_a_person(alice, charlie, bind):
    import io

    from registry.importer import import_registry

    binding = bind(alice, charlie)
    csv = ("psn_name,certno,insutype,insuplc_admdvs,status,acct_balc,tel\n"
           f"{charlie.name},{charlie.certno},390,320300,suspended,,\n")
    assert import_registry(io.StringIO(csv)).ok
    binding.refresh_from_db()
    assert binding.status == S.SUSPENDED


@pytest.mark.django_db
def test_reevaluates_bindings_when_an_official_edits_a_person(admin_client, alice, charlie, bind):
    binding = bind(alice, charlie)
    url = f"/admin/registry/insuredperson/{charlie.pk}/change/"
    response = admin_client.post(url, {"certno": charlie.certno, "name": charlie.name, "insutype": "390",
                                       "region": "320300", "status": "ended", "mobile": ""})
    assert response.status_code == 302, response.content[:2000]
    binding.refresh_from_db()
    assert binding.status == S.SUSPENDED and binding.status_reason == "MEMBER_NOT_ENROLLED"


@pytest.mark.django_db
def test_shows_bindings_and_letters_read_only_in_admin(admin_client, alice, charlie, bind):
    binding = bind(alice, charlie)
    assert admin_client.get("/admin/sharing/binding/").status_code == 200
    assert admin_client.get(f"/admin/sharing/binding/{binding.pk}/change/").status_code == 200
    response = admin_client.get(f"/admin/sharing/commitmentletter/{binding.letter.pk}/change/")
    assert b'name="body"' not in response.content

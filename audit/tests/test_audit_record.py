import pytest
from django.db import DatabaseError, transaction

from audit.models import AuditEvent
from audit.services import audit_record


@pytest.mark.django_db
def test_records_actor_subject_event_and_states(alice):
    event = audit_record(actor=alice, subject=alice.person, event="binding.created", before=None,
                         after={"status": "active"})
    assert event.actor == alice
    assert event.subject_type == "registry.insuredperson"
    assert event.subject_id == str(alice.person.pk)
    assert event.after == {"status": "active"}
    assert event.channel == "online"
    assert alice.username in event.actor_label


@pytest.mark.django_db
def test_records_the_system_as_actor_when_none(alice):
    event = audit_record(actor=None, subject=("sharing.binding", "x"), event="binding.expired")
    assert event.actor is None and event.actor_label == "system"


@pytest.mark.django_db
def test_takes_the_hall_of_a_staff_actor(hall_staff, alice):
    event = audit_record(actor=hall_staff, subject=alice.person, event="x", channel="hall")
    assert event.hall == hall_staff.hall and event.channel == "hall"


@pytest.mark.django_db
def test_refuses_update_at_database_level(alice):
    event = audit_record(actor=alice, subject=alice.person, event="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(event="tampered")


@pytest.mark.django_db
def test_refuses_delete_at_database_level(alice):
    event = audit_record(actor=alice, subject=alice.person, event="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_is_read_only_in_admin(admin_client, alice):
    event = audit_record(actor=alice, subject=alice.person, event="x")
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    response = admin_client.post(f"/admin/audit/auditevent/{event.pk}/delete/")
    assert response.status_code == 403

"""The audit trail in the admin: a scoped official reads only events about subjects in their scope."""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from family.models import FamilyMembership


@pytest.fixture
def official(db):
    def make(**scope):
        user = User.objects.create_user(username=f"off_{list(scope.values())}", password="x", role="official",
                                        is_staff=True, **scope)
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="audit", codename="view_auditevent"))
        return user

    return make


@pytest.fixture
def events(alice, dave, make_person):
    xuzhou_child = make_person(name="徐州孩子", insutype="390")
    nanjing_child = make_person(name="南京孩子", address="320102", region="320100", insutype="390")
    in_xuzhou = FamilyMembership.objects.create(holder=alice.person, member=xuzhou_child, relation="child",
                                                status="active")
    in_nanjing = FamilyMembership.objects.create(holder=dave.person, member=nanjing_child, relation="child",
                                                 status="active")
    return {
        "xuzhou_family": audit_record(actor=None, subject=in_xuzhou, event="family.member_added"),
        "nanjing_family": audit_record(actor=None, subject=in_nanjing, event="family.member_added"),
        "xuzhou_person": audit_record(actor=None, subject=alice.person, event="registry.changed"),
        "nanjing_person": audit_record(actor=None, subject=dave.person, event="registry.changed"),
        "account": audit_record(actor=None, subject=alice, event="accounts.changed"),
    }


def visible(client):
    response = client.get("/admin/audit/auditevent/")
    assert response.status_code == 200
    return {event.pk for event in response.context["cl"].result_list}


def test_a_regional_official_reads_only_events_about_subjects_in_scope(client, official, events):
    client.force_login(official(scope_region_id="320300"))
    seen = visible(client)
    assert events["xuzhou_family"].pk in seen and events["xuzhou_person"].pk in seen
    assert not seen & {events[k].pk for k in ("nanjing_family", "nanjing_person", "account")}
    assert client.get(f"/admin/audit/auditevent/{events['nanjing_family'].pk}/change/").status_code == 302


def test_a_provincial_official_reads_the_province(client, official, events):
    client.force_login(official(scope_province_id="32"))
    seen = visible(client)
    assert {events[k].pk for k in ("xuzhou_family", "nanjing_family", "xuzhou_person", "nanjing_person")} <= seen
    assert events["account"].pk not in seen


def test_a_national_official_reads_everything(client, official, events):
    client.force_login(official())
    assert {event.pk for event in events.values()} <= visible(client)
    assert AuditEvent.objects.count() == len(visible(client))


def test_the_viewer_names_events_in_words_shows_the_gj_reference_and_local_time(client, official, alice, charlie, bind):
    binding = bind(alice, charlie, "child")
    event = AuditEvent.objects.filter(event="binding.created", subject_id=str(binding.pk)).get()
    assert event.subject_label == binding.reference
    client.force_login(official(scope_region_id="320300"))
    text = client.get("/admin/audit/auditevent/").text
    assert "申请绑定" in text and "binding.created" in text  # Chinese label and the English code
    assert binding.reference in text
    from django.utils import timezone
    assert timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M") in text


def test_the_hall_filter_lists_only_halls_in_scope(client, official):
    from registry.models import ServiceHall

    ServiceHall.objects.create(name="徐州一厅", region_id="320300")
    ServiceHall.objects.create(name="南京一厅", region_id="320100")
    client.force_login(official(scope_region_id="320300"))
    text = client.get("/admin/audit/auditevent/").text
    assert "徐州一厅" in text and "南京一厅" not in text


def test_the_event_filter_narrows_the_list(client, official, events):
    client.force_login(official())
    response = client.get("/admin/audit/auditevent/", {"event": "family.member_added"})
    assert {e.event for e in response.context["cl"].result_list} == {"family.member_added"}

"""The bindings admin for officials: scoped to their region, suspension for cause through the services."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from audit.models import AuditEvent
from sharing.models import Binding
from sharing.review import OFFICIAL_SUSPENSION

URL = "/admin/sharing/binding/"
S = Binding.Status


@pytest.fixture
def official(db):
    def make(codenames=("view_binding", "change_binding"), **scope):
        user = User.objects.create_user(username=f"off_{len(User.objects.all())}", password="x", role="official",
                                        is_staff=True, **scope)
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="sharing", codename__in=codenames))
        return user

    return make


@pytest.fixture
def bindings(alice, charlie, dave, make_person, bind):
    """One binding in 徐州 (alice → charlie) and one in 南京 (dave → his son)."""
    son = make_person(name="赵小伟", birth=datetime.date(2000, 2, 2), address="320102", region="320100", insutype="390")
    return {"xuzhou": bind(alice, charlie), "nanjing": bind(dave, son)}


def act(client, action, *bindings, cause=""):
    return client.post(URL, {"action": action, "_selected_action": [str(b.pk) for b in bindings], "index": "0",
                             "cause": cause}, follow=True)


@pytest.mark.django_db
def test_a_regional_official_sees_only_bindings_of_their_region(client, official, bindings):
    client.force_login(official(scope_region_id="320300"))
    response = client.get(URL)
    assert response.status_code == 200
    assert bindings["xuzhou"].reference in response.text and bindings["nanjing"].reference not in response.text
    assert client.get(f"{URL}{bindings['nanjing'].pk}/change/").status_code == 302  # out of scope: not found


@pytest.mark.django_db
def test_a_provincial_official_sees_the_whole_province(client, official, bindings):
    client.force_login(official(scope_province_id="32"))
    text = client.get(URL).text
    assert bindings["xuzhou"].reference in text and bindings["nanjing"].reference in text


@pytest.mark.django_db
def test_an_official_suspends_for_cause_and_lifts_it(client, official, bindings):
    user = official(scope_region_id="320300")
    client.force_login(user)
    binding = bindings["xuzhou"]
    assert act(client, "suspend_for_cause", binding, cause="fraud report 17").status_code == 200
    binding.refresh_from_db()
    assert binding.status == S.SUSPENDED and binding.status_reason == OFFICIAL_SUSPENSION
    event = AuditEvent.objects.get(subject_id=str(binding.pk), event="binding.suspended_by_official")
    assert event.actor == user and event.after["cause"] == "fraud report 17" and event.channel == "admin"

    act(client, "lift_suspension", binding)
    binding.refresh_from_db()
    assert binding.status == S.ACTIVE and binding.status_reason == ""
    assert AuditEvent.objects.filter(subject_id=str(binding.pk), event="binding.suspension_lifted", actor=user).exists()


@pytest.mark.django_db
def test_wants_a_cause_to_suspend(client, official, bindings):
    client.force_login(official(scope_region_id="320300"))
    act(client, "suspend_for_cause", bindings["xuzhou"], cause="  ")
    bindings["xuzhou"].refresh_from_db()
    assert bindings["xuzhou"].status == S.ACTIVE
    assert not AuditEvent.objects.filter(event="binding.suspended_by_official").exists()


@pytest.mark.django_db
def test_cannot_suspend_a_binding_outside_the_officials_scope(client, official, bindings):
    client.force_login(official(scope_region_id="320300"))
    act(client, "suspend_for_cause", bindings["nanjing"], cause="not mine")
    bindings["nanjing"].refresh_from_db()
    assert bindings["nanjing"].status == S.ACTIVE


@pytest.mark.django_db
def test_leaves_a_binding_whose_status_does_not_allow_the_action(client, official, bindings):
    client.force_login(official(scope_region_id="320300"))
    response = act(client, "lift_suspension", bindings["xuzhou"])
    bindings["xuzhou"].refresh_from_db()
    assert bindings["xuzhou"].status == S.ACTIVE
    assert bindings["xuzhou"].reference in response.text  # named in the warning
    assert not AuditEvent.objects.filter(event="binding.suspension_lifted").exists()


@pytest.mark.django_db
def test_an_official_who_may_only_read_has_no_suspension_action(client, official, bindings):
    client.force_login(official(codenames=("view_binding",), scope_region_id="320300"))
    response = client.get(URL)
    assert response.status_code == 200 and "suspend_for_cause" not in response.text
    act(client, "suspend_for_cause", bindings["xuzhou"], cause="no right")
    bindings["xuzhou"].refresh_from_db()
    assert bindings["xuzhou"].status == S.ACTIVE


@pytest.mark.django_db
def test_the_binding_stays_read_only(client, official, bindings):
    client.force_login(official(scope_region_id="320300"))
    response = client.get(f"{URL}{bindings['xuzhou'].pk}/change/")
    assert response.status_code == 200 and 'name="status"' not in response.text
    assert client.post(f"{URL}{bindings['xuzhou'].pk}/delete/", {"post": "yes"}).status_code == 403

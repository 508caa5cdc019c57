"""Every official and operator act leaves one row in the audit trail (not only Django's admin log)."""

import getpass
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.models import User
from audit.models import AuditEvent
from ledger.models import PersonalAccount
from registry.models import ServiceHall
from settlement.keys import api_key_issue
from settlement.models import Institution

PASSWORD = "Correct-Horse-42"


@pytest.fixture
def official(db):
    group, _ = Group.objects.get_or_create(name="officials")
    group.permissions.set(Permission.objects.filter(
        content_type__app_label__in=["registry", "ledger", "sharing", "accounts", "settlement", "audit"])
        .exclude(codename__startswith="delete_"))

    def make(**scope):
        user = User.objects.create_user(username=f"off_{list(scope.values())}", password=PASSWORD, role="official",
                                        is_staff=True, **scope)
        user.groups.add(group)
        return user

    return make


def test_editing_an_insured_person_is_audited_with_before_and_after(client, official, alice):
    user = official(scope_region_id="320300")
    client.force_login(user)
    person = alice.person
    data = {"certno": person.certno, "name": "张丽丽", "insutype": person.insutype, "region": "320300",
            "status": person.status, "mobile": person.mobile}
    assert client.post(f"/admin/registry/insuredperson/{person.pk}/change/", data).status_code == 302
    event = AuditEvent.objects.get(event="admin.changed", subject_id=str(person.pk))
    assert event.actor == user and event.channel == "admin" and event.region_id == "320300"
    assert event.before == {"name": "张丽"} and event.after == {"name": "张丽丽"}


def test_opening_a_citizens_record_or_ledger_is_audited(client, official, alice):
    user = official(scope_region_id="320300")
    client.force_login(user)
    assert client.get(f"/admin/registry/insuredperson/{alice.person.pk}/change/").status_code == 200
    account = PersonalAccount.objects.get(person=alice.person)
    assert client.get(f"/admin/ledger/personalaccount/{account.pk}/change/").status_code == 200
    opened = AuditEvent.objects.filter(event="admin.opened", actor=user)
    assert set(opened.values_list("subject_type", flat=True)) == {"registry.insuredperson", "ledger.personalaccount"}
    assert set(opened.values_list("region_id", flat=True)) == {"320300"}


def test_adding_a_hall_is_audited(client, official):
    client.force_login(official(scope_region_id="320300"))
    client.post("/admin/registry/servicehall/add/", {"name": "新大厅", "region": "320300", "address": "路 1 号"})
    hall = ServiceHall.objects.get(name="新大厅")
    event = AuditEvent.objects.get(event="admin.added", subject_id=str(hall.pk))
    assert event.subject_type == "registry.servicehall" and event.after["name"] == "新大厅"


def test_an_official_setting_a_staff_password_is_audited_and_forces_a_new_one(client, official, hall_staff):
    user = official(scope_region_id="320300")
    client.force_login(user)
    response = client.post(f"/admin/accounts/user/{hall_staff.pk}/password/",
                           {"password1": "Official-Set-99", "password2": "Official-Set-99"})
    assert response.status_code == 302
    hall_staff.refresh_from_db()
    assert hall_staff.must_change_password
    event = AuditEvent.objects.get(event="accounts.password_set_by_official")
    assert event.actor == user and event.subject_id == str(hall_staff.pk) and event.region_id == "320300"
    assert "Official-Set-99" not in str(event.before) + str(event.after)

    # The staff member cannot use the hall before choosing their own password.
    client.logout()
    client.force_login(hall_staff)
    response = client.get("/hall/")
    assert response.status_code == 302 and response.url.startswith("/accounts/password/")
    response = client.post("/accounts/password/?next=/hall/", {
        "old_password": "Official-Set-99", "new_password1": "Staff-Own-Choice-7", "new_password2": "Staff-Own-Choice-7"})
    assert response.status_code == 302 and response.url == "/hall/"
    hall_staff.refresh_from_db()
    assert not hall_staff.must_change_password
    assert client.get("/hall/").status_code == 200
    assert AuditEvent.objects.filter(event="accounts.password_changed", actor=hall_staff).exists()


def test_revoking_an_api_key_is_audited(client, official):
    institution = Institution.objects.create(fixmedins_code="H32030200091", name="徐州医院", region_id="320300")
    key, _ = api_key_issue(institution=institution, name="收费处")
    client.force_login(official(scope_region_id="320300"))
    client.post("/admin/settlement/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    event = AuditEvent.objects.get(event="apikey.revoked")
    assert event.subject_id == str(key.pk) and event.region_id == "320300"


def test_issuing_an_api_key_is_audited_as_the_operator(db):
    call_command("issue_api_key", "H32030200091", "--name", "徐州医院", stdout=io.StringIO())
    event = AuditEvent.objects.get(event="apikey.issued")
    assert event.actor is None and event.actor_label == f"os:{getpass.getuser()}" and event.channel == "command"
    assert event.region_id == "320300"


def test_the_import_command_audits_as_the_named_operator(db, tmp_path, official):
    operator = official()
    path = tmp_path / "export.csv"
    path.write_text("psn_name,certno,insutype,insuplc_admdvs,status,acct_balc,tel\n", encoding="utf-8")
    call_command("import_registry", str(path), "--actor", operator.username, stdout=io.StringIO())
    event = AuditEvent.objects.get(event="registry.imported")
    assert event.actor == operator and event.channel == "command" and len(event.after["sha256"]) == 64


def test_posting_credits_is_audited_as_the_os_user(tmp_path, alice):
    path = tmp_path / "credits.csv"
    path.write_text(f"certno,amount,period\n{alice.person.certno},100.00,2026-01\n", encoding="utf-8")
    call_command("post_credits", str(path), stdout=io.StringIO())
    event = AuditEvent.objects.get(event="ledger.credits_posted")
    assert event.actor_label == f"os:{getpass.getuser()}" and event.after["posted"] == 1


def test_acts_about_a_whole_province_are_read_by_its_officials_only(client, official):
    import datetime

    from django.utils import timezone

    from registry.models import SharingPolicy

    jiangsu = official(scope_province_id="32")
    client.force_login(jiangsu)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post("/admin/registry/sharingpolicy/add/", {
        "province": "32", "title": "江苏明日版", "effective_from": tomorrow, "allowed_relations": ["parent"],
        "consent_expiry_days": "7", "on_registry_break": "suspend"})
    assert response.status_code == 302
    policy = SharingPolicy.objects.get(title="江苏明日版")
    event = AuditEvent.objects.get(event="admin.added", subject_id=str(policy.pk))
    assert event.province_id == "32" and event.region_id is None

    def sees(user):
        client.force_login(user)
        return event.pk in {e.pk for e in client.get("/admin/audit/auditevent/").context["cl"].result_list}

    assert sees(jiangsu) and sees(official(scope_region_id="320300")) and sees(official())
    assert not sees(official(scope_province_id="11"))


def test_adding_hall_staff_is_audited_without_the_password_and_forces_a_new_one(client, official, hall_staff):
    client.force_login(official(scope_region_id="320300"))
    data = {"username": "new_staff", "usable_password": "true", "password1": "Brand-New-Pass-99",
            "password2": "Brand-New-Pass-99", "first_name": "新人", "hall": str(hall_staff.hall_id)}
    assert client.post("/admin/accounts/user/add/", data).status_code == 302
    new = User.objects.get(username="new_staff")
    assert new.must_change_password
    event = AuditEvent.objects.get(event="admin.added", subject_id=str(new.pk))
    assert event.region_id == "320300" and "Brand-New-Pass-99" not in str(event.after)
    assert event.after["username"] == "new_staff"


def test_editing_an_institution_is_audited(client, official):
    institution = Institution.objects.create(fixmedins_code="H32030200091", name="徐州医院", region_id="320300")
    client.force_login(official(scope_region_id="320300"))
    response = client.post(f"/admin/settlement/institution/{institution.pk}/change/", {
        "fixmedins_code": "H32030200091", "name": "徐州市医院", "region": "320300", "active": "on",
        "api_keys-TOTAL_FORMS": "0", "api_keys-INITIAL_FORMS": "0", "api_keys-MIN_NUM_FORMS": "0",
        "api_keys-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302, response.text[:3000]
    event = AuditEvent.objects.get(event="admin.changed", subject_id=str(institution.pk))
    assert event.subject_type == "settlement.institution" and event.after == {"name": "徐州市医院"}

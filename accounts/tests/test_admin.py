"""The user admin in officials' hands: hall staff of their own scope only, and never a way to more power."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from registry.models import ServiceHall

PASSWORD = "Correct-Horse-42"


@pytest.fixture
def official(db):
    """An official as the demo makes them: in the "officials" group, with every non-delete permission."""
    group, _ = Group.objects.get_or_create(name="officials")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["registry", "ledger", "sharing", "accounts", "settlement"])
        .exclude(codename__startswith="delete_"))

    def make(username=None, **scope):
        user = User.objects.create_user(username=username or f"off_{list(scope.values())}", password=PASSWORD,
                                        role="official", is_staff=True, **scope)
        user.groups.add(group)
        return user

    return make


@pytest.fixture
def nanjing_staff(db):
    hall = ServiceHall.objects.create(name="南京市医保服务大厅", region_id="320100")
    return User.objects.create_user(username="hall_nj", password=PASSWORD, role="staff", hall=hall)


def change_data(user, **overrides):
    """Everything the full (superuser) change form could carry, so the same POST fits the old and new form."""
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": "", "email": "",
        "is_active": "on", "is_staff": "on", "is_superuser": "on",
        "groups": [str(g.pk) for g in Group.objects.all()],
        "user_permissions": [str(p.pk) for p in Permission.objects.filter(codename="change_user")],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00",
        "role": "official", "person": "", "mobile": "", "hall": str(user.hall_id or ""),
        "scope_province": "", "scope_region": "",
    }
    data.update(overrides)
    return data


def test_a_regional_official_cannot_make_hall_staff_a_superuser(client, official, hall_staff):
    client.force_login(official(scope_region_id="320300"))
    response = client.post(f"/admin/accounts/user/{hall_staff.pk}/change/", change_data(hall_staff))
    assert response.status_code == 302, response.text[:2000]
    hall_staff.refresh_from_db()
    assert not hall_staff.is_superuser and not hall_staff.is_staff
    assert hall_staff.role == "staff" and hall_staff.scope_region_id is None and hall_staff.scope_province_id is None
    assert not hall_staff.groups.exists() and not hall_staff.user_permissions.exists()


def test_a_regional_official_cannot_move_staff_to_a_hall_out_of_scope(client, official, hall_staff, nanjing_staff):
    client.force_login(official(scope_region_id="320300"))
    page = client.get(f"/admin/accounts/user/{hall_staff.pk}/change/")
    assert page.status_code == 200
    assert hall_staff.hall.name in page.text and nanjing_staff.hall.name not in page.text
    response = client.post(f"/admin/accounts/user/{hall_staff.pk}/change/",
                           change_data(hall_staff, hall=str(nanjing_staff.hall_id)))
    assert response.status_code == 200  # the form refuses the choice
    hall_staff.refresh_from_db()
    assert hall_staff.hall.region_id == "320300"


def test_a_regional_official_may_still_edit_staff_in_scope(client, official, hall_staff):
    client.force_login(official(scope_region_id="320300"))
    response = client.post(f"/admin/accounts/user/{hall_staff.pk}/change/",
                           change_data(hall_staff, first_name="新名字", is_active=""))
    assert response.status_code == 302
    hall_staff.refresh_from_db()
    assert hall_staff.first_name == "新名字" and not hall_staff.is_active


def test_a_regional_official_sees_only_hall_staff_of_their_scope(client, official, hall_staff, nanjing_staff, alice):
    me = official(scope_region_id="320300")
    other = official(username="official_other", scope_region_id="320300")
    admin_user = User.objects.create_superuser(username="root", password=PASSWORD, role="official")
    client.force_login(me)
    listing = client.get("/admin/accounts/user/")
    assert listing.status_code == 200
    assert "hall_test" in listing.text
    for hidden in (nanjing_staff, alice, other, admin_user, me):
        assert f"/admin/accounts/user/{hidden.pk}/change/" not in listing.text
        assert client.get(f"/admin/accounts/user/{hidden.pk}/change/").status_code == 302  # "does not exist"
    assert alice.username not in listing.text  # a citizen's username is their ID number


def test_an_official_cannot_set_the_password_of_another_official_or_a_citizen(client, official, alice):
    other = official(username="official_other")
    client.force_login(official(scope_region_id="320300"))
    for target in (other, alice):
        response = client.post(f"/admin/accounts/user/{target.pk}/password/",
                               {"password1": "Brand-New-Pass-99", "password2": "Brand-New-Pass-99"})
        assert response.status_code in (302, 403, 404)
        target.refresh_from_db()
        assert target.check_password(PASSWORD)


def test_a_national_official_manages_staff_everywhere_but_grants_nothing(client, official, hall_staff, nanjing_staff):
    national = official(username="official_cn")
    other = official(username="official_other", scope_region_id="320300")
    client.force_login(national)
    listing = client.get("/admin/accounts/user/").text
    assert "hall_test" in listing and "hall_nj" in listing
    assert f"/admin/accounts/user/{other.pk}/change/" not in listing
    response = client.post(f"/admin/accounts/user/{nanjing_staff.pk}/change/", change_data(nanjing_staff))
    assert response.status_code == 302
    nanjing_staff.refresh_from_db()
    assert not nanjing_staff.is_superuser and not nanjing_staff.is_staff and nanjing_staff.role == "staff"
    assert not nanjing_staff.groups.exists()


def test_an_official_adds_hall_staff_only_to_a_hall_in_scope(client, official, hall_staff, nanjing_staff):
    client.force_login(official(scope_region_id="320300"))
    data = {"username": "new_staff", "usable_password": "true", "password1": "Brand-New-Pass-99",
            "password2": "Brand-New-Pass-99", "first_name": "新人", "hall": str(nanjing_staff.hall_id),
            "is_superuser": "on", "is_staff": "on", "role": "official"}
    assert client.post("/admin/accounts/user/add/", data).status_code == 200  # out-of-scope hall refused
    assert not User.objects.filter(username="new_staff").exists()
    response = client.post("/admin/accounts/user/add/", {**data, "hall": str(hall_staff.hall_id)})
    assert response.status_code == 302
    new = User.objects.get(username="new_staff")
    assert new.role == "staff" and new.hall_id == hall_staff.hall_id and not new.is_staff and not new.is_superuser


def test_a_superuser_keeps_full_power(client, hall_staff):
    client.force_login(User.objects.create_superuser(username="root", password=PASSWORD, role="official"))
    response = client.post(f"/admin/accounts/user/{hall_staff.pk}/change/",
                           change_data(hall_staff, role="staff", groups=[], user_permissions=[]))
    assert response.status_code == 302, response.text[:2000]
    hall_staff.refresh_from_db()
    assert hall_staff.is_superuser and hall_staff.is_staff


def test_a_change_of_role_is_audited_with_before_and_after(client, hall_staff):
    from audit.models import AuditEvent

    root = User.objects.create_superuser(username="root", password=PASSWORD, role="official")
    client.force_login(root)
    response = client.post(f"/admin/accounts/user/{hall_staff.pk}/change/",
                           change_data(hall_staff, role="official", is_superuser="", is_staff="on", groups=[],
                                       user_permissions=[], scope_region="320300"))
    assert response.status_code == 302, response.text[:2000]
    event = AuditEvent.objects.get(event="admin.changed", subject_id=str(hall_staff.pk))
    assert event.actor == root and event.region_id == "320300"
    assert event.before["role"] == "staff" and event.after["role"] == "official"
    assert event.after["scope_region"] == "320300" and "password" not in event.after

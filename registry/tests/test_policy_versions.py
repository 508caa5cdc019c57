"""Policy versions in the admin: what is in force is history; a new version is published from tomorrow on."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from registry.models import SharingPolicy
from sharing.models import CommitmentLetter


@pytest.fixture
def official(db):
    def make(**scope):
        user = User.objects.create_user(username=f"off_{list(scope.values())}", password="x", role="official",
                                        is_staff=True, **scope)
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["registry", "sharing"]))
        return user

    return make


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def data(**overrides):
    values = {"province": "32", "title": "江苏新版", "effective_from": tomorrow().isoformat(),
              "allowed_relations": ["parent", "spouse", "child", "sibling"], "cross_city_allowed": "on",
              "consent_expiry_days": "7", "shared_floor": "", "per_payment_cap": "", "on_registry_break": "suspend"}
    values.update(overrides)
    return values


def test_a_version_in_force_is_read_only_even_for_a_national_official(client, official):
    in_force = SharingPolicy.objects.filter(province_id="32", effective_from__lte=timezone.localdate()).first()
    client.force_login(official())
    page = client.get(f"/admin/registry/sharingpolicy/{in_force.pk}/change/")
    assert page.status_code == 200 and 'name="title"' not in page.text
    response = client.post(f"/admin/registry/sharingpolicy/{in_force.pk}/change/", data(title="改过了"))
    assert response.status_code == 403
    in_force.refresh_from_db()
    assert in_force.title != "改过了"


def test_a_provincial_official_publishes_a_version_from_tomorrow_and_it_is_audited(client, official):
    user = official(scope_province_id="32")
    client.force_login(user)
    response = client.post("/admin/registry/sharingpolicy/add/", data())
    assert response.status_code == 302
    policy = SharingPolicy.objects.get(title="江苏新版")
    assert policy.effective_from == tomorrow()
    assert sorted(policy.allowed_relations) == ["child", "parent", "sibling", "spouse"]
    event = AuditEvent.objects.get(event="admin.added", subject_type="registry.sharingpolicy")
    assert event.actor == user and event.channel == "admin" and event.after["title"] == "江苏新版"


@pytest.mark.parametrize("days", [0, -1, -400])
def test_a_back_dated_or_same_day_version_is_refused(client, official, days):
    client.force_login(official(scope_province_id="32"))
    day = timezone.localdate() + datetime.timedelta(days=days)
    response = client.post("/admin/registry/sharingpolicy/add/", data(effective_from=day.isoformat()))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["effective_from"]
    assert not SharingPolicy.objects.filter(title="江苏新版").exists()


def test_relationships_are_check_boxes_in_chinese_without_parents_in_law_or_other(client, official):
    client.force_login(official(scope_province_id="32"))
    page = client.get("/admin/registry/sharingpolicy/add/").text
    assert page.count('type="checkbox" name="allowed_relations"') == 6
    for label in ("父母", "配偶", "子女", "兄弟姐妹", "祖父母/外祖父母", "孙子女/外孙子女"):
        assert label in page
    assert 'value="parent_in_law"' not in page and 'value="other"' not in page
    response = client.post("/admin/registry/sharingpolicy/add/", data(allowed_relations=["parent_in_law"]))
    assert list(response.context["adminform"].form.errors) == ["allowed_relations"]


def test_a_scheduled_version_may_still_be_corrected(client, official):
    scheduled = SharingPolicy.objects.create(province_id="32", effective_from=tomorrow(), title="待生效",
                                             allowed_relations=["parent"])
    client.force_login(official(scope_province_id="32"))
    response = client.post(f"/admin/registry/sharingpolicy/{scheduled.pk}/change/", data(title="待生效（更正）"))
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.title == "待生效（更正）"
    event = AuditEvent.objects.get(event="admin.changed", subject_id=str(scheduled.pk))
    assert event.before["title"] == "待生效" and event.after["title"] == "待生效（更正）"


def test_the_list_shows_which_version_is_in_force_today(client, official):
    SharingPolicy.objects.create(province_id="32", effective_from=tomorrow(), title="明天的江苏版",
                                 allowed_relations=["parent"])
    client.force_login(official(scope_province_id="32"))
    page = client.get("/admin/registry/sharingpolicy/").text
    assert "当前生效" in page and "待生效" in page
    # Only in-scope provinces in the filter.
    assert "?province=32" in page and "?province=11" not in page


def test_a_published_letter_is_read_only_and_a_new_version_is_offered(client, official):
    letter = CommitmentLetter.objects.order_by("-version").first()
    client.force_login(official())
    assert client.post(f"/admin/sharing/commitmentletter/{letter.pk}/change/",
                       {"version": letter.version, "title": "改", "body": "改"}).status_code == 403
    form = client.get("/admin/sharing/commitmentletter/add/")
    assert form.context["adminform"].form.initial["version"] == letter.version + 1
    response = client.post("/admin/sharing/commitmentletter/add/",
                           {"version": letter.version + 1, "title": "新承诺书", "body": "新的文本"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event="admin.added", subject_type="sharing.commitmentletter").exists()

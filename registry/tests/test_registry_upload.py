"""Registry upload in the admin: a preview that writes nothing, then all-or-nothing apply, within scope, audited."""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import User
from audit.models import AuditEvent
from registry import idnumber
from registry.models import InsuredPerson

HEADER = "psn_name,certno,insutype,insuplc_admdvs,status,acct_balc,tel\n"
NEW_XZ = idnumber.make("320302", datetime.date(1980, 1, 2), 11)
NEW_NJ = idnumber.make("320102", datetime.date(1981, 1, 2), 13)
URL = "/admin/registry/insuredperson/import/"


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.REGISTRY_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def official(db):
    def make(**scope):
        user = User.objects.create_user(username=f"off_{list(scope.values())}", password="x", role="official",
                                        is_staff=True, **scope)
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["registry", "audit"]))
        return user

    return make


def upload(client, body: str, name="export.csv"):
    content = (HEADER + body).encode()
    return client.post(URL, {"file": SimpleUploadedFile(name, content, "text/csv")}), hashlib.sha256(content).hexdigest()


def row(name, certno, region, status="active", insutype="310", balance="10.00"):
    return f"{name},{certno},{insutype},{region},{status},{balance},\n"


def test_the_list_has_an_import_button(client, official):
    client.force_login(official(scope_region_id="320300"))
    assert URL in client.get("/admin/registry/insuredperson/").text


def test_a_good_file_previews_without_writing_then_applies(client, official, alice):
    user = official(scope_region_id="320300")
    client.force_login(user)
    moved = row(alice.person.name, alice.person.certno, "320300", status="suspended", balance="3000.00")
    body = row("新人", NEW_XZ, "320300") + moved
    preview, sha = upload(client, body)
    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.created, report.updated, report.unchanged, report.errors) == (1, 1, 0, [])
    assert not InsuredPerson.objects.filter(certno=NEW_XZ).exists()
    alice.person.refresh_from_db()
    assert alice.person.status == "active"
    previewed = AuditEvent.objects.get(event="registry.import_previewed")
    assert previewed.actor == user and previewed.after["sha256"] == sha and previewed.after["created"] == 1
    assert 'name="apply"' in preview.text

    applied = client.post(URL, {"apply": "1", "sha256": sha})
    assert applied.status_code == 302
    assert InsuredPerson.objects.get(certno=NEW_XZ).account.balance == 10
    alice.person.refresh_from_db()
    assert alice.person.status == "suspended"
    done = AuditEvent.objects.get(event="registry.imported")
    assert done.after == {"sha256": sha, "created": 1, "updated": 1, "unchanged": 0, "bad_rows": 0,
                          "balance_differences": 0}
    assert done.region_id == "320300"


def test_a_bad_file_lists_every_bad_row_and_writes_nothing(client, official):
    client.force_login(official(scope_region_id="320300"))
    body = row("好人", NEW_XZ, "320300") + "坏人,123,310,320300,active,1.00,\n" + row("", NEW_XZ, "999999")
    response, sha = upload(client, body)
    with translation.override("en"):
        errors = [str(e) for e in response.context["report"].errors]
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 4", "line 4", "line 4"]
    assert 'name="apply"' not in response.text and "第 3 行：身份证号 &#x27;123&#x27;：身份证号格式不正确" in response.text
    assert client.post(URL, {"apply": "1", "sha256": sha}).status_code == 302  # refused: no preview to apply
    assert not InsuredPerson.objects.filter(certno=NEW_XZ).exists()
    assert AuditEvent.objects.get(event="registry.import_previewed").after["bad_rows"] == 4


def test_an_official_of_xuzhou_never_imports_nanjing_persons(client, official, dave):
    client.force_login(official(scope_region_id="320300"))
    body = row("南京新人", NEW_NJ, "320100") + row(dave.person.name, dave.person.certno, "320300", balance="100.00")
    response, sha = upload(client, body)
    with translation.override("en"):
        errors = [str(e) for e in response.context["report"].errors]
    assert errors == ["line 2: pooling region 320100 is outside your scope",
                      "line 3: this person is insured outside your scope"]
    assert "第 2 行：统筹区 320100 不在您的管辖范围内" in response.text  # the official reads it in Chinese
    client.post(URL, {"apply": "1", "sha256": sha})
    assert not InsuredPerson.objects.filter(certno=NEW_NJ).exists()
    dave.person.refresh_from_db()
    assert dave.person.region_id == "320100"


def test_a_provincial_official_imports_the_whole_province(client, official):
    client.force_login(official(scope_province_id="32"))
    response, sha = upload(client, row("南京新人", NEW_NJ, "320100") + row("徐州新人", NEW_XZ, "320300"))
    assert response.context["report"].created == 2
    assert client.post(URL, {"apply": "1", "sha256": sha}).status_code == 302
    assert InsuredPerson.objects.filter(certno__in=[NEW_NJ, NEW_XZ]).count() == 2
    assert AuditEvent.objects.get(event="registry.imported").province_id == "32"  # their province's officials see it


def test_apply_needs_the_preview_of_the_same_official(client, official):
    client.force_login(official(scope_province_id="32"))
    _, sha = upload(client, row("徐州新人", NEW_XZ, "320300"))
    client.logout()
    client.force_login(official(scope_region_id="320300"))
    client.post(URL, {"apply": "1", "sha256": sha})
    assert not InsuredPerson.objects.filter(certno=NEW_XZ).exists()


def test_an_official_without_change_permission_cannot_upload(client, db):
    reader = User.objects.create_user(username="reader", password="x", role="official", is_staff=True)
    reader.user_permissions.set(Permission.objects.filter(codename="view_insuredperson"))
    client.force_login(reader)
    assert client.get(URL).status_code == 403

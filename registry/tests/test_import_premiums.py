"""import_registry's second file kind: premium dues (ID number, kind, year, amount, pooling region, due date)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from registry import idnumber
from registry.models import InsuredPerson, PremiumDue

HEADER = "certno,kind,year,amount,insuplc_admdvs,due_date\n"
CHILD = idnumber.make("320302", datetime.date(2016, 4, 1), 21)


@pytest.fixture
def child(db):
    return InsuredPerson.objects.create(certno=CHILD, name="张小雨", insutype="390", region_id="320300")


def run(tmp_path, body):
    path = tmp_path / "dues.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    out, err = [], []

    class Sink:
        def __init__(self, lines):
            self.lines = lines

        def write(self, s):
            self.lines.append(s)

        def flush(self):
            pass

    try:
        call_command("import_registry", str(path), stdout=Sink(out), stderr=Sink(err))
    except CommandError as exc:
        return None, "".join(err) + str(exc)
    return "".join(out), "".join(err)


def test_imports_dues_and_updates_a_republished_one(child, tmp_path):
    out, _err = run(tmp_path, f"{CHILD},resident,2027,400.00,320300,2026-12-31\n{CHILD},ltc,2027,60,320300,2026-12-31\n")
    assert "created 2" in out
    assert PremiumDue.objects.get(kind="resident").amount == Decimal("400.00")
    out, _err = run(tmp_path, f"{CHILD},resident,2027,420.00,320300,2027-01-15\n{CHILD},ltc,2027,60,320300,2026-12-31\n")
    assert "updated 1, unchanged 1" in out
    due = PremiumDue.objects.get(kind="resident")
    assert (due.amount, due.due_date) == (Decimal("420.00"), datetime.date(2027, 1, 15))


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported(child, tmp_path):
    unknown = idnumber.make("320302", datetime.date(1990, 1, 1), 31)
    out, err = run(tmp_path, "\n".join([
        f"{CHILD},resident,2027,400.00,320300,2026-12-31",
        f"{unknown},resident,2027,400.00,320300,2026-12-31",
        f"{CHILD},dental,2027,400.00,320300,2026-12-31",
        f"{CHILD},ltc,27,400.00,320300,2026-12-31",
        f"{CHILD},ltc,2027,-1,999999,2026-13-01",
        f"{CHILD},resident,2027,400.00,320300,2026-12-31",
        "123,ltc,2027,1.001,320300,2026-12-31",
    ]) + "\n")
    assert out is None
    for line, text in [(3, "not in the registry"), (4, "unknown kind"), (5, "is not a year"),
                       (6, "not a positive amount"), (6, "unknown pooling region"), (6, "not a date"),
                       (7, "same person, kind and year as line 2"), (8, "not a valid ID number")]:
        assert f"line {line}: " in err and text in err, (line, text)
    assert not PremiumDue.objects.exists()


def test_a_header_of_neither_kind_names_both(tmp_path, db):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_registry", str(path))


def test_a_preview_writes_nothing_and_an_officials_scope_refuses_other_regions(child, tmp_path):
    import io

    from django.utils import translation

    from registry.importer import import_registry

    body = HEADER + f"{CHILD},resident,2027,400.00,320300,2026-12-31\n"
    preview = import_registry(io.StringIO(body), dry_run=True)
    assert preview.ok and preview.created == 1 and not PremiumDue.objects.exists()
    refused = import_registry(io.StringIO(body), regions_in_scope={"320100"})
    with translation.override("en"):
        assert [str(e) for e in refused.errors] == ["line 2: pooling region 320300 is outside your scope"]
    assert not PremiumDue.objects.exists()
    assert import_registry(io.StringIO(body), regions_in_scope={"320300"}).created == 1


def test_an_official_uploads_premium_dues_in_the_admin_preview_then_apply(client, child, settings, tmp_path):
    import hashlib

    from django.contrib.auth.models import Permission
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User

    settings.REGISTRY_UPLOAD_DIR = tmp_path / "uploads"
    user = User.objects.create_user(username="off_xz_dues", password="x", role="official", is_staff=True,
                                    scope_region_id="320300")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["registry", "audit"]))
    client.force_login(user)
    content = (HEADER + f"{CHILD},resident,2027,400.00,320300,2026-12-31\n").encode()
    url = "/admin/registry/insuredperson/import/"
    preview = client.post(url, {"file": SimpleUploadedFile("dues.csv", content, "text/csv")})
    assert preview.context["report"].created == 1 and not PremiumDue.objects.exists()
    applied = client.post(url, {"apply": "1", "sha256": hashlib.sha256(content).hexdigest()})
    assert applied.status_code == 302 and PremiumDue.objects.get().amount == Decimal("400.00")

"""Applying a registry upload runs as a background job whose page shows rows done / total and the outcome; only the
uploader and officials whose scope contains it read it; a failing job writes nothing and is audited as refused."""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from audit.models import AuditEvent
from registry import hooks
from registry.models import InsuredPerson, RegistryImportJob
from registry.tests.test_registry_upload import NEW_XZ, URL, _uploads, official, row, upload  # noqa: F401


def apply(client, sha):
    response = client.post(URL, {"apply": "1", "sha256": sha})
    assert response.status_code == 302
    return response


def test_apply_runs_as_a_job_and_its_page_shows_the_outcome(client, official, alice, settings):  # noqa: F811
    user = official(scope_region_id="320300")
    client.force_login(user)
    renamed = row("张丽丽", alice.person.certno, "320300", balance="3000.00")  # a changed known person
    moved = row("新人", NEW_XZ, "320300")
    _, sha = upload(client, moved + renamed)
    response = apply(client, sha)
    job = RegistryImportJob.objects.get()
    assert response.url == f"{URL}{job.pk}/"
    assert (job.uploader, job.sha256, job.status) == (user, sha, RegistryImportJob.Status.DONE)
    assert (job.rows_done, job.rows_total, job.created, job.updated, job.unchanged) == (2, 2, 1, 1, 0)
    assert InsuredPerson.objects.filter(certno=NEW_XZ).exists()
    alice.person.refresh_from_db()
    assert alice.person.name == "张丽丽"
    assert AuditEvent.objects.get(event="registry.imported").after["created"] == 1
    assert not (settings.REGISTRY_UPLOAD_DIR / f"{sha}.csv").exists()

    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="job-status">已导入</td>' in text and "2 / 2 (100 %)" in text


def _person(username, **scope):
    user = User.objects.create_user(username=username, password="x", role="official", is_staff=True, **scope)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registry", codename__startswith="view"))
    return user


def test_the_uploader_and_officials_whose_scope_contains_the_job_read_its_page(client, official, alice, bob,  # noqa: F811
                                                                               admin_user, hall_staff):
    uploader = official(scope_region_id="320300")
    client.force_login(uploader)
    _, sha = upload(client, row("新人", NEW_XZ, "320300"))
    job_url = apply(client, sha).url
    assert client.get(job_url).status_code == 200
    readers = [_person("js", scope_province_id="32"), _person("national"),
               _person("xz2", scope_region_id="320300"), admin_user]
    for reader in readers:  # read-only: they may only view persons, and the page offers no action
        client.force_login(reader)
        page = client.get(job_url)
        assert page.status_code == 200, reader
        assert 'id="job-status">已导入</td>' in page.text and "<form" not in page.text.split('id="content-main"')[1]
    hall_staff.is_staff = True  # even with the admin open to them and every registry permission
    hall_staff.save(update_fields=["is_staff"])
    hall_staff.user_permissions.set(Permission.objects.filter(content_type__app_label="registry"))
    outsiders = [_person("nj", scope_region_id="320100"), _person("hb", scope_province_id="13"), hall_staff]
    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(job_url).status_code == 404, outsider
    client.force_login(bob)  # a citizen: the admin sends them to its login page
    assert client.get(job_url).status_code == 302
    client.force_login(uploader)
    assert client.get(f"{URL}00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_provincial_upload_is_not_read_by_a_city_official(client, official, alice):  # noqa: F811
    client.force_login(official(scope_province_id="32"))
    _, sha = upload(client, row("新人", NEW_XZ, "320300"))
    job_url = apply(client, sha).url
    client.force_login(official(scope_region_id="320300"))
    assert client.get(job_url).status_code == 404
    client.force_login(official())  # national
    assert client.get(job_url).status_code == 200


def test_a_failing_job_writes_nothing_and_is_audited_as_refused(client, official, alice, monkeypatch):  # noqa: F811
    client.force_login(official(scope_region_id="320300"))
    suspended = row(alice.person.name, alice.person.certno, "320300", status="suspended", balance="3000.00")
    _, sha = upload(client, row("新人", NEW_XZ, "320300") + suspended)

    def broken(**kwargs):
        raise RuntimeError("the re-evaluation broke")

    monkeypatch.setattr(hooks, "enrollment_changed", broken)
    job_url = apply(client, sha).url
    job = RegistryImportJob.objects.get()
    assert job.status == RegistryImportJob.Status.FAILED and job.rows_done == 0 and job.errors
    assert not InsuredPerson.objects.filter(certno=NEW_XZ).exists()  # the new person was rolled back too
    alice.person.refresh_from_db()
    assert alice.person.status == "active"
    assert AuditEvent.objects.get(event="registry.import_refused").after["bad_rows"] == 1
    assert "RuntimeError" in client.get(job_url).content.decode()


def test_the_importer_reports_progress_of_the_rows_written(alice):
    import io

    from registry.importer import import_registry
    from registry.tests.test_registry_upload import HEADER

    calls = []
    body = HEADER + row("新人", NEW_XZ, "320300") + row("张丽丽", alice.person.certno, "320300", balance="3000.00")
    report = import_registry(io.StringIO(body), progress=lambda done, total: calls.append((done, total)))
    assert report.ok and calls[0] == (0, 2) and calls[-1] == (2, 2)
    assert all(done <= total == 2 for done, total in calls)


@pytest.mark.django_db(transaction=True)
def test_progress_is_stored_outside_the_import_transaction(official):  # noqa: F811
    from django.db import transaction

    from registry.import_jobs import _progress_writer

    job = RegistryImportJob.objects.create(uploader=official(scope_region_id="320300"), sha256="0" * 64)
    write, connection = _progress_writer(job.pk)
    try:
        with transaction.atomic():
            write(3, 10)
            # Seen by the official's page while the import's transaction is still open …
            assert RegistryImportJob.objects.values_list("rows_done", "rows_total").get(pk=job.pk) == (3, 10)
            transaction.set_rollback(True)
    finally:
        connection.close()
    # … and not undone with it.
    assert RegistryImportJob.objects.values_list("rows_done", "rows_total").get(pk=job.pk) == (3, 10)

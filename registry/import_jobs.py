"""The apply step of a registry upload as a background job (Django's tasks framework; the worker runs
`registry.tasks.apply_registry_upload`). The file is validated again and written all-or-nothing in one transaction,
exactly as `import_registry` does; meanwhile the rows written so far are stored on the job through a second
database connection (outside that transaction), so that the official's reloaded page shows them. The outcome is
audited as before (`registry.imported` / `registry.import_refused`) and the stored file is deleted.
"""

import logging
import time

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin_scope import scope_province_id
from registry.admin_import import regions_in_scope, upload_dir
from registry.importer import ImportReport, import_audit, import_registry
from registry.models import RegistryImportJob

log = logging.getLogger("registry.import_jobs")
PROGRESS_EVERY_SECONDS = 1.0


def import_job_start(user, sha256: str) -> RegistryImportJob:
    """A queued job for a previewed file; the worker takes it once the request's transaction commits."""
    from registry.tasks import apply_registry_upload

    job = RegistryImportJob.objects.create(uploader=user, sha256=sha256, scope_region_id=user.scope_region_id or None,
                                           scope_province_id=scope_province_id(user))
    apply_registry_upload.enqueue(str(job.pk))
    return job


def import_job_get_for_user(user, job_id) -> RegistryImportJob:
    """The job, for its uploader, a superuser and any official whose scope contains the job's (the uploader's when
    they applied): a provincial official reads the uploads of the province's cities, a national official every
    upload, an official of a sibling city none. 404 to everyone else. The page is read-only for all of them."""
    try:
        job = RegistryImportJob.objects.get(pk=job_id)
    except (RegistryImportJob.DoesNotExist, ValueError):
        raise Http404 from None
    if job.uploader_id != user.pk and not _scope_contains(user, job):
        raise Http404
    return job


def _scope_contains(user, job: RegistryImportJob) -> bool:
    if user.is_superuser:
        return True
    if not (user.is_active and user.is_staff and getattr(user, "role", None) == "official"):
        return False
    if user.scope_region_id:
        return job.scope_region_id == user.scope_region_id
    if user.scope_province_id:
        return job.scope_province_id == user.scope_province_id
    return True  # a national official


def _progress_writer(job_id):
    """A callback storing rows done / total on the job through its own connection (autocommit), at most once a
    second, and that connection (to close)."""
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    table = RegistryImportJob._meta.db_table
    last = [0.0]

    def write(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < PROGRESS_EVERY_SECONDS:
            return
        last[0] = now
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET rows_done = %s, rows_total = %s WHERE id = %s",  # noqa: S608
                           [done, total, job_id])

    return write, connection


def import_job_run(job_id) -> str:
    job = RegistryImportJob.objects.select_related("uploader").get(pk=job_id)
    if job.status != RegistryImportJob.Status.QUEUED:
        return job.status  # already taken (a retried task runs once)
    RegistryImportJob.objects.filter(pk=job.pk).update(status=RegistryImportJob.Status.RUNNING)
    path = upload_dir() / f"{job.sha256}.csv"
    write, connection = _progress_writer(job.pk)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            report = import_registry(fh, regions_in_scope=regions_in_scope(job.uploader), actor=job.uploader,
                                     progress=write)
    except Exception as exc:  # noqa: BLE001 - the transaction is rolled back; the official reads why
        log.exception("registry import job %s failed", job.pk)
        report = ImportReport(errors=[_("The import failed (%(error)s); nothing was written.")
                                      % {"error": type(exc).__name__}])
    finally:
        connection.close()
    import_audit(actor=job.uploader, sha256=job.sha256, report=report, dry_run=False, channel="admin",
                 region=job.scope_region_id, province=job.scope_province_id)
    rows = report.created + report.updated + report.unchanged
    job.status = RegistryImportJob.Status.DONE if report.ok else RegistryImportJob.Status.FAILED
    job.rows_total = rows if report.ok else job.rows_total
    job.rows_done = rows if report.ok else 0
    job.created, job.updated, job.unchanged = report.created, report.updated, report.unchanged
    job.errors = [str(error) for error in report.errors]
    job.finished_at = timezone.now()
    job.save()
    path.unlink(missing_ok=True)
    return job.status

"""Registry upload in the admin (/admin/registry/insuredperson/import/): the core system's CSV, as `import_registry`.

Step 1, preview: the file is stored under var/uploads by its SHA-256 and validated with nothing written: counts of
new, changed and unchanged persons and every bad row by its line number. Step 2, apply: the same file (named by
its SHA-256, which the session remembers for this official) is handed to a background job (registry/import_jobs.py)
that validates it again and writes it all-or-nothing; the registry hooks re-evaluate the bindings of persons whose
enrollment changed. The job's page (import/<job id>/: the uploader's, and read-only for officials whose scope contains
the job's) shows rows done / total and the outcome. Rows outside the official's scope are bad rows. Each preview and
outcome is audited (who, SHA-256, counts).

The upload streams to a temporary file (Django spills files over 2.5 MB to disk), the hash is read in 1 MB
chunks, and the CSV is parsed row by row through a text wrapper: a 100 k-row file (about 8 MB) is never held in
memory whole, and its preview takes a few seconds.
"""

import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_scope import limit_to_scope, scope_province_id
from registry.importer import HEADER, file_sha256, import_audit, import_registry
from registry.models import PoolingRegion

SESSION_KEY = "registry_import_sha256"
_SHA = re.compile(r"^[0-9a-f]{64}$")


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Registry export (CSV, UTF-8)"),
                           help_text=gettext_lazy("The core system's export with the header %(header)s.")
                           % {"header": ",".join(HEADER)})


def upload_dir() -> Path:
    path = Path(getattr(settings, "REGISTRY_UPLOAD_DIR", settings.BASE_DIR / "var" / "uploads"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def regions_in_scope(user) -> set[str] | None:
    """The region codes an official may import, None for a national official (every region)."""
    if user.is_superuser or not (user.scope_region_id or user.scope_province_id):
        return None
    return set(limit_to_scope(user, PoolingRegion.objects.all()).values_list("code", flat=True))


def _audit_scope(user) -> dict:
    """Where the upload's audit row belongs: the official's region, else their province (national: neither)."""
    return {"region": user.scope_region_id or None, "province": scope_province_id(user)}


def _run(path: Path, user, *, dry_run: bool):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return import_registry(fh, regions_in_scope=regions_in_scope(user), dry_run=dry_run,
                               actor=user)


def registry_import_view(model_admin, request):
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": _("Import the registry"), "header": ",".join(HEADER)}
    form = UploadForm()
    if request.method == "POST" and "apply" in request.POST:
        sha256 = request.POST.get("sha256", "")
        path = upload_dir() / f"{sha256}.csv"
        if not _SHA.match(sha256) or request.session.get(SESSION_KEY) != sha256 or not path.exists():
            messages.error(request, _("Upload the file again: its preview has expired."))
            return redirect(request.path)
        from registry.import_jobs import import_job_start

        # Written by the task worker (all-or-nothing, audited); its page shows the progress and the outcome.
        job = import_job_start(request.user, sha256)
        del request.session[SESSION_KEY]
        return redirect("admin:registry_insuredperson_import_job", job_id=job.pk)
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            sha256 = file_sha256(upload)
            path = upload_dir() / f"{sha256}.csv"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                report = _run(path, request.user, dry_run=True)
            except UnicodeDecodeError:
                path.unlink(missing_ok=True)
                form.add_error("file", _("The file is not UTF-8 text."))
            else:
                import_audit(actor=request.user, sha256=sha256, report=report, dry_run=True, channel="admin",
                             **_audit_scope(request.user))
                if report.ok:
                    request.session[SESSION_KEY] = sha256
                else:
                    path.unlink(missing_ok=True)
                context.update(report=report, sha256=sha256, filename=upload.name)
    context["form"] = form
    return TemplateResponse(request, "admin/registry/insuredperson/import.html", context)


def registry_import_job_view(model_admin, request, job_id):
    """The progress of an applied upload: the official reloads the page (no automatic refresh)."""
    from registry.import_jobs import import_job_get_for_user

    # Read-only: whoever may see the job (its uploader, officials whose scope contains it) and may view persons.
    job = import_job_get_for_user(request.user, job_id)
    if not model_admin.has_view_permission(request):
        raise Http404
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": _("Registry import"), "job": job, "finished": job.finished_at is not None,
               "percent": int(100 * job.rows_done / job.rows_total) if job.rows_total else 0}
    return TemplateResponse(request, "admin/registry/insuredperson/import_job.html", context)

"""Every change an official makes in the admin is one row of the audit trail (not only Django's admin log).

`AuditedAdmin` records additions, changes (the changed fields, before and after) and deletions; with
`audit_opening = True` it also records that an official opened a record (a citizen's record or ledger). The rows
go through `core.audit_hook` (the audit app sits on a floor above most admins) with channel "admin" and the
record's pooling region, found along the admin's `region_path`.
"""

import datetime
import decimal
import uuid

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models

from core import audit_hook

ADMIN_CHANNEL = "admin"
NEVER_RECORDED = {"password", "password1", "password2", "usable_password", "signature_image", "key_hash"}


def jsonable(value):
    """A value as the trail keeps it: model instances by primary key, dates and amounts as text."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal, uuid.UUID)):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def region_along(obj, path: str | None) -> str | None:
    """The pooling-region code reached from `obj` along a lookup path such as "institution__region"."""
    if not path or obj is None:
        return None
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def record_admin_act(request, obj, event: str, *, before=None, after=None, region_path=None):
    """One audit row for an act in the admin; a record of a whole province (a policy version) keeps its province."""
    return audit_hook.record(actor=request.user, subject=obj, event=event, before=before, after=after,
                             channel=ADMIN_CHANNEL, region=region_along(obj, region_path),
                             province=getattr(obj, "province_id", None))


class AuditedAdmin(admin.ModelAdmin):
    audit_opening = False  # record each time an official opens a record (citizens' records and ledgers)

    def _audit_region_path(self):
        return getattr(self, "region_path", None)

    def save_model(self, request, obj, form, change):
        changed = [f for f in form.changed_data if f not in NEVER_RECORDED]
        before = {f: jsonable(form.initial.get(f)) for f in changed} if change else None
        super().save_model(request, obj, form, change)
        if change and not changed:
            return
        after = {f: jsonable(form.cleaned_data.get(f)) for f in changed}
        record_admin_act(request, obj, "admin.changed" if change else "admin.added", before=before, after=after,
                         region_path=self._audit_region_path())

    def delete_model(self, request, obj):
        region = region_along(obj, self._audit_region_path())
        subject = (obj._meta.label_lower, obj.pk)
        super().delete_model(request, obj)
        audit_hook.record(actor=request.user, subject=subject, event="admin.deleted", before={"str": str(obj)},
                          channel=ADMIN_CHANNEL, region=region, province=getattr(obj, "province_id", None))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.audit_opening and request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                record_admin_act(request, obj, "admin.opened", region_path=self._audit_region_path())
        return response

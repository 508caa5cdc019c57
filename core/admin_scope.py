"""Officials see only their own pooling region or province; a national official sees everything.

An official's scope comes from `User.scope_region` / `User.scope_province`: a region wins over a province, and an
official with neither is national. Superusers are unscoped. What an official may *change* is narrower than what
they may see (reference data, policies, accounts): see the admins of registry, accounts and sharing.
"""

from django.contrib import admin

from core.admin_audit import AuditedAdmin

REGION = "region"
PROVINCE = "province"
NATIONAL = "national"
SUPERUSER = "superuser"


def scope_level(user) -> str:
    """SUPERUSER, NATIONAL, PROVINCE or REGION."""
    if user.is_superuser:
        return SUPERUSER
    if user.scope_region_id:
        return REGION
    if user.scope_province_id:
        return PROVINCE
    return NATIONAL


def scope_province_id(user) -> str | None:
    """The province an official works in (a regional official's region's province), None if unscoped."""
    if user.is_superuser:
        return None
    if user.scope_region_id:
        return user.scope_region_id[:2]  # the region code starts with the province code (a DB constraint)
    return user.scope_province_id


def scope_filter(user, region_path: str) -> dict:
    """Lookup kwargs restricting a queryset to the user's scope; `region_path` leads to a PoolingRegion."""
    if user.is_superuser:
        return {}
    if user.scope_region_id:
        return {region_path: user.scope_region_id}
    if user.scope_province_id:
        return {f"{region_path}__province": user.scope_province_id}
    return {}


# How each scoped model reaches its pooling region (for limiting foreign-key choices).
REGION_PATHS = {
    "registry.servicehall": "region",
    "registry.insuredperson": "region",
    "settlement.institution": "region",
    "settlement.apikey": "institution__region",
    "settlement.settlement": "institution__region",
    "settlement.apikeyalert": "api_key__institution__region",
    "ledger.personalaccount": "person__region",
    "ledger.ledgerentry": "account__person__region",
    "ledger.reserve": "account__person__region",
    "sharing.binding": "authorizer__region",
    "family.familymembership": "holder__region",
    "accounts.user": "hall__region",
    "registry.premiumdue": "region",
    "sharing.premiumpayment": "due__region",
}


def limit_to_scope(user, queryset):
    """`queryset` limited to what lies in the user's scope, or None if its model has no known region."""
    label = queryset.model._meta.label_lower
    if user.is_superuser or not (user.scope_region_id or user.scope_province_id):
        return queryset
    if label == "registry.province":
        return queryset.filter(pk=scope_province_id(user))
    if label == "registry.poolingregion":
        if user.scope_region_id:
            return queryset.filter(pk=user.scope_region_id)
        return queryset.filter(province=user.scope_province_id)
    if label in REGION_PATHS:
        return queryset.filter(**scope_filter(user, REGION_PATHS[label]))
    return None


class ScopedAdmin(AuditedAdmin):
    """Lists and opens only records in the official's scope, and offers only in-scope choices for foreign keys
    (so that a record cannot be moved out of the scope, nor pointed at something outside it). Every change is
    audited (AuditedAdmin)."""

    region_path = "region"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**scope_filter(request.user, self.region_path))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            base = self.get_field_queryset(None, db_field, request)
            if base is None:
                base = db_field.remote_field.model._default_manager.all()
            limited = limit_to_scope(request.user, base)
            if limited is not None:
                kwargs["queryset"] = limited
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records the database itself keeps append-only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

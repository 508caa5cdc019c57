"""Officials see only their own pooling region or province; a national official sees everything."""

from django.contrib import admin


def scope_filter(user, region_path: str) -> dict:
    """Lookup kwargs restricting a queryset to the user's scope; `region_path` leads to a PoolingRegion."""
    if user.is_superuser:
        return {}
    if user.scope_region_id:
        return {region_path: user.scope_region_id}
    if user.scope_province_id:
        return {f"{region_path}__province": user.scope_province_id}
    return {}


class ScopedAdmin(admin.ModelAdmin):
    region_path = "region"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**scope_filter(request.user, self.region_path))


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records the database itself keeps append-only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin
from django.db.models import Q

from core.admin_scope import NATIONAL, PROVINCE, SUPERUSER, ScopedAdmin, scope_level, scope_province_id
from registry import hooks
from registry.models import InsuredPerson, PoolingRegion, Province, ServiceHall, SharingPolicy


class ReferenceDataAdmin(admin.ModelAdmin):
    """The administrative divisions are national reference data: officials read them, only superusers edit."""

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(PoolingRegion)
class PoolingRegionAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]


@admin.register(ServiceHall)
class ServiceHallAdmin(ScopedAdmin):
    list_display = ["name", "region", "address"]


@admin.register(SharingPolicy)
class SharingPolicyAdmin(admin.ModelAdmin):
    """Superusers and national officials publish any version, the national default included; a provincial
    official only their own province's versions (they read the national default); a regional official reads
    their province's versions and the national default, and changes nothing."""

    list_display = ["title", "province", "effective_from", "cross_city_allowed", "cross_province_allowed",
                    "consent_expiry_days"]
    list_filter = ["province", "cross_city_allowed", "cross_province_allowed"]
    date_hierarchy = "effective_from"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        province = scope_province_id(request.user)
        if province is None:
            return queryset
        return queryset.filter(Q(province__isnull=True) | Q(province=province))

    def has_add_permission(self, request):
        return scope_level(request.user) in (SUPERUSER, NATIONAL, PROVINCE) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        level = scope_level(request.user)
        if level == PROVINCE:
            allowed = obj is None or obj.province_id == request.user.scope_province_id
        else:
            allowed = level in (SUPERUSER, NATIONAL)
        return allowed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A version once in force is history: publish a new version instead.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province" and scope_level(request.user) not in (SUPERUSER, NATIONAL):
            # Their own province, and not the national default (an empty province).
            kwargs["queryset"] = Province.objects.filter(pk=scope_province_id(request.user))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(InsuredPerson)
class InsuredPersonAdmin(ScopedAdmin):
    list_display = ["name", "masked_certno", "insutype", "region", "status"]
    list_filter = ["insutype", "status", "region__province"]
    search_fields = ["=certno", "name"]
    list_select_related = ["region"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"status", "region", "insutype"} & set(form.changed_data):
            hooks.enrollment_changed(person=obj, actor=request.user)

from django.contrib import admin

from portal.admin_scope import ScopedAdmin
from registry.models import InsuredPerson, PoolingRegion, Province, ServiceHall, SharingPolicy


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(PoolingRegion)
class PoolingRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]


@admin.register(ServiceHall)
class ServiceHallAdmin(ScopedAdmin):
    list_display = ["name", "region", "address"]


@admin.register(SharingPolicy)
class SharingPolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "province", "effective_from", "cross_city_allowed", "cross_province_allowed",
                    "consent_expiry_days"]
    list_filter = ["province", "cross_city_allowed", "cross_province_allowed"]
    date_hierarchy = "effective_from"

    def has_delete_permission(self, request, obj=None):
        # A version once in force is history: publish a new version instead.
        return False


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
            from sharing.services import person_reevaluate

            person_reevaluate(person=obj, actor=request.user)

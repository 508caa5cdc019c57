from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.admin_scope import NATIONAL, PROVINCE, SUPERUSER, ScopedAdmin, scope_level, scope_province_id
from registry import hooks
from registry.models import (
    INHERITED_FIELDS,
    InsuredPerson,
    PoolingRegion,
    PremiumDue,
    Province,
    ServiceHall,
    SharingPolicy,
)


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


class InheritableYesNo(forms.NullBooleanSelect):
    """Yes / no / empty (follows the national version). A ticked checkbox's "on" also reads as yes."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Follow the national version")), ("true", _("Yes")), ("false", _("No"))]

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        return True if value == "on" else super().value_from_datadict(data, files, name)


class SharingPolicyForm(forms.ModelForm):
    """A province's version may leave any rule empty to follow the national version; the national version sets
    every rule (an empty yes/no there means no)."""

    class Meta:
        model = SharingPolicy
        fields = ["province", "effective_from", "title", *INHERITED_FIELDS]
        widgets = {name: InheritableYesNo for name in [
            "cross_city_allowed", "cross_province_allowed", "uses_validity_period", "single_authorizer_per_settlement",
            "premiums_payable", "ends_on_insurance_change"]}

    def clean(self):
        data = super().clean()
        if not data.get("allowed_relations"):
            data["allowed_relations"] = None  # empty: follows the national version, never "nobody"
        if data.get("province") is None:
            for name in self.Meta.widgets:
                if data.get(name) is None:
                    data[name] = False
            for name in ("allowed_relations", "consent_expiry_days", "on_registry_break", "quota_scope"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("The national version sets every rule."))
        return data


@admin.register(SharingPolicy)
class SharingPolicyAdmin(admin.ModelAdmin):
    """Superusers and national officials publish any version, the national default included; a provincial
    official only their own province's versions (they read the national default); a regional official reads
    their province's versions and the national default, and changes nothing."""

    form = SharingPolicyForm

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


@admin.register(PremiumDue)
class PremiumDueAdmin(ScopedAdmin):
    """Premium dues the core system publishes (import_registry's second file kind): read here, changed by import."""

    list_display = ["person", "kind", "year", "amount", "region", "due_date"]
    list_filter = ["kind", "year"]
    search_fields = ["=person__certno", "person__name"]
    list_select_related = ["person", "region"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

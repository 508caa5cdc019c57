import datetime

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_audit import AuditedAdmin
from core.admin_scope import NATIONAL, PROVINCE, SUPERUSER, ScopedAdmin, limit_to_scope, scope_level, scope_province_id
from registry import hooks
from registry.admin_import import registry_import_job_view, registry_import_view
from registry.forms import RelationsField, validate_publication_date
from registry.models import (
    INHERITED_FIELDS,
    InsuredPerson,
    PoolingRegion,
    PremiumDue,
    Province,
    ServiceHall,
    SharingPolicy,
)


class ScopedProvinceFilter(admin.SimpleListFilter):
    """Lists only the provinces inside the official's scope."""

    title = _("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return [(p.code, p.name) for p in limit_to_scope(request.user, Province.objects.all())]

    def queryset(self, request, queryset):
        return queryset.filter(province_id=self.value()) if self.value() else queryset


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


def scoped_region_filter(path: str = "region", title=None):
    """A list filter offering only the pooling regions inside the official's scope; `path` leads from the listed
    model to its PoolingRegion (e.g. "authorizer__region")."""

    class ScopedRegionFilter(admin.SimpleListFilter):
        parameter_name = path

        def lookups(self, request, model_admin):
            return [(r.code, r.name) for r in limit_to_scope(request.user, PoolingRegion.objects.all())]

        def queryset(self, request, queryset):
            return queryset.filter(**{path: self.value()}) if self.value() else queryset

    ScopedRegionFilter.title = title or _("pooling region")
    return ScopedRegionFilter


@admin.register(ServiceHall)
class ServiceHallAdmin(ScopedAdmin):
    list_display = ["name", "region", "address"]
    list_filter = [scoped_region_filter()]


def policies_in_force_today_ids() -> set[int]:
    """The version in force today for the nation and for each province that has its own."""
    return set(
        SharingPolicy.objects.filter(effective_from__lte=timezone.localdate())
        .order_by("province_id", "-effective_from").distinct("province_id").values_list("pk", flat=True)
    )


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
class SharingPolicyAdmin(AuditedAdmin):
    """Superusers and national officials publish any version, the national default included; a provincial
    official only their own province's versions (they read the national default); a regional official reads
    their province's versions and the national default, and changes nothing.

    A version whose effective date has come is history and read-only: policy changes by publishing a new version
    that takes effect tomorrow at the earliest (a back-dated one is refused). A version not yet in force may still
    be corrected. The list shows each province's history and which version is in force today."""

    form = SharingPolicyForm

    list_display = ["title", "province_or_national", "effective_from", "state", "cross_city_allowed",
                    "cross_province_allowed", "consent_expiry_days"]
    list_filter = [ScopedProvinceFilter, "cross_city_allowed", "cross_province_allowed"]
    ordering = ["province_id", "-effective_from"]

    @admin.display(description=_("province"), ordering="province_id")
    def province_or_national(self, obj):
        return obj.province.name if obj.province_id else _("National default")

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.effective_from > timezone.localdate():
            return _("Scheduled")
        # One small query per row: a list holds a few dozen versions at most.
        return _("In force today") if obj.pk in policies_in_force_today_ids() else _("Superseded")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("province")
        province = scope_province_id(request.user)
        if province is None:
            return queryset
        return queryset.filter(Q(province__isnull=True) | Q(province=province))

    def has_add_permission(self, request):
        return scope_level(request.user) in (SUPERUSER, NATIONAL, PROVINCE) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.effective_from <= timezone.localdate():
            return False  # in force or superseded: history
        level = scope_level(request.user)
        if level == PROVINCE:
            allowed = obj is None or obj.province_id == request.user.scope_province_id
        else:
            allowed = level in (SUPERUSER, NATIONAL)
        return allowed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A version once in force is history: publish a new version instead.
        return False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("effective_from", timezone.localdate() + datetime.timedelta(days=1))
        return initial

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "allowed_relations":
            return RelationsField(label=db_field.verbose_name, required=not db_field.blank,
                                  help_text=db_field.help_text)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "effective_from" and field is not None:
            field.validators.append(validate_publication_date)
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province" and scope_level(request.user) not in (SUPERUSER, NATIONAL):
            # Their own province, and not the national default (an empty province).
            kwargs["queryset"] = Province.objects.filter(pk=scope_province_id(request.user))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(InsuredPerson)
class InsuredPersonAdmin(ScopedAdmin):
    list_display = ["name", "masked_id", "insutype", "region", "status"]
    list_filter = ["insutype", "status", scoped_region_filter()]
    audit_opening = True  # an official opening a citizen's record is recorded
    change_list_template = "admin/registry/insuredperson/change_list.html"
    search_fields = ["=certno", "name"]
    list_select_related = ["region"]
    readonly_fields = ["created", "updated"]
    show_full_result_count = False

    def get_urls(self):
        from django.urls import path

        view = self.admin_site.admin_view(lambda request: registry_import_view(self, request))
        job = self.admin_site.admin_view(lambda request, job_id: registry_import_job_view(self, request, job_id))
        return [path("import/", view, name="registry_insuredperson_import"),
                path("import/<uuid:job_id>/", job, name="registry_insuredperson_import_job"), *super().get_urls()]

    @admin.display(description=_("created at"))
    def created(self, obj):
        return timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M") if obj.created_at else "-"

    @admin.display(description=_("updated at"))
    def updated(self, obj):
        return timezone.localtime(obj.updated_at).strftime("%Y-%m-%d %H:%M") if obj.updated_at else "-"

    @admin.display(description=_("resident ID number"))
    def masked_id(self, obj):
        return obj.masked_certno

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

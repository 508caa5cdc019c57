from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_audit import record_admin_act
from core.admin_scope import ReadOnlyAdmin, ScopedAdmin
from registry.admin import scoped_region_filter
from settlement.models import ApiKey, ApiKeyAlert, Institution, Settlement


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fields = ["prefix", "name", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "name", "created_at", "revoked_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Keys are issued with `manage.py issue_api_key`, which shows the key once.
        return False


@admin.register(Institution)
class InstitutionAdmin(ScopedAdmin):
    list_display = ["fixmedins_code", "name", "region", "active"]
    list_filter = ["active", scoped_region_filter()]
    search_fields = ["=fixmedins_code", "name"]
    inlines = [ApiKeyInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedAdmin):
    region_path = "institution__region"
    list_display = ["prefix", "institution", "name", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["=prefix", "=institution__fixmedins_code"]
    readonly_fields = ["institution", "prefix", "name", "created_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for key in queryset.filter(revoked_at__isnull=True).select_related("institution"):
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            record_admin_act(request, key, "apikey.revoked", after={"prefix": key.prefix},
                             region_path=self.region_path)
            count += 1
        self.message_user(request, _("%(count)d key(s) revoked.") % {"count": count}, messages.SUCCESS)


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin, ScopedAdmin):
    region_path = "institution__region"
    list_display = ["created_at", "institution_name", "request", "amount", "acct_pay", "acct_mulaid_pay", "cash_pay",
                    "refunded"]
    list_select_related = ["institution"]
    search_fields = ["=request_id", "=patient__certno"]
    show_full_result_count = False

    @admin.display(description=_("designated institution"), ordering="institution")
    def institution_name(self, obj):
        return obj.institution.name

    @admin.display(description=_("request number"), ordering="request_id")
    def request(self, obj):
        return obj.request_id

@admin.register(ApiKeyAlert)
class ApiKeyAlertAdmin(ScopedAdmin):
    """A key whose requests were refused many times in a few minutes: look at its audited enquiries
    (audit events `balance_enquiry_refused`), then acknowledge, or revoke the key."""

    region_path = "api_key__institution__region"
    list_display = ["created_at", "api_key", "refusals", "window_start", "acknowledged_at"]
    list_filter = ["acknowledged_at"]
    list_select_related = ["api_key__institution"]
    readonly_fields = ["api_key", "refusals", "window_start", "created_at", "acknowledged_at"]
    actions = ["acknowledge"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Acknowledge the selected alerts"), permissions=["change"])
    def acknowledge(self, request, queryset):
        count = queryset.filter(acknowledged_at__isnull=True).update(acknowledged_at=timezone.now())
        self.message_user(request, _("%(count)d alert(s) acknowledged.") % {"count": count}, messages.SUCCESS)

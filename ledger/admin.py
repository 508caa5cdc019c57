from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_audit import record_admin_act
from core.admin_scope import ReadOnlyAdmin, ScopedAdmin
from ledger.models import LedgerEntry, PersonalAccount, Reserve


@admin.register(PersonalAccount)
class PersonalAccountAdmin(ReadOnlyAdmin, ScopedAdmin):
    region_path = "person__region"
    audit_opening = True  # an official opening a citizen's ledger is recorded
    list_display = ["person", "balance", "opened_at"]
    search_fields = ["=person__certno"]
    list_select_related = ["person"]
    show_full_result_count = False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin, ScopedAdmin):
    region_path = "account__person__region"
    list_display = ["created_at", "account_holder", "kind", "amount", "balance_after", "reference"]
    list_filter = ["kind"]
    search_fields = ["=reference", "=account__person__certno"]
    list_select_related = ["account__person"]
    show_full_result_count = False

    @admin.display(description=_("personal account"), ordering="account")
    def account_holder(self, obj):
        return str(obj.account.person)

    def changelist_view(self, request, extra_context=None):
        """Browsing entries is reading those citizens' ledgers: each page view records `admin.opened` once per
        personal account shown (the list is already limited to the official's scope)."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}) or {}
        changelist = changelist.get("cl")
        if request.method == "GET" and response.status_code == 200 and changelist is not None:
            accounts = {entry.account_id: entry.account for entry in changelist.result_list}
            for account in accounts.values():
                record_admin_act(request, account, "admin.opened", region_path="person__region")
        return response


@admin.register(Reserve)
class ReserveAdmin(ReadOnlyAdmin, ScopedAdmin):
    """Sharing quotas (共济额度): what each authorizer set aside per binding; moved only by ledger entries."""

    region_path = "account__person__region"
    list_display = ["account", "binding_ref", "balance", "created_at", "closed_at"]
    search_fields = ["=account__person__certno", "=binding_ref"]
    list_select_related = ["account__person"]

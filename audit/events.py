"""What each audit event is called, for the audit viewer (the trail itself stores the stable English code)."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "binding.created": _("Binding applied for"),
    "binding.consented": _("Spouse consented"),
    "binding.refused": _("Spouse refused"),
    "binding.withdrawn": _("Request withdrawn"),
    "binding.unbound": _("Binding ended by the authorizer"),
    "binding.expired": _("Request expired without an answer"),
    "binding.suspended": _("Binding suspended by a registry change"),
    "binding.ended_by_registry": _("Binding ended by a registry change"),
    "binding.resumed": _("Binding resumed"),
    "binding.suspended_by_official": _("Binding suspended by an official"),
    "binding.suspension_lifted": _("Suspension lifted by an official"),
    "binding.ended_by_member": _("Binding ended by the family member"),
    "binding.ended_by_rule": _("Binding ended by a rule"),
    "binding.payment_order": _("Paying order changed"),
    "binding.suspension_reason_changed": _("Reason for the suspension changed"),
    "family.member_added": _("Family-account member added"),
    "family.request_sent": _("Family-account request sent"),
    "family.request_agreed": _("Family-account request agreed"),
    "family.request_refused": _("Family-account request refused"),
    "family.request_withdrawn": _("Family-account request withdrawn"),
    "family.member_removed": _("Family-account member removed"),
    "settlement.create": _("Settlement"),
    "settlement.refund": _("Refund"),
    "hall.lookup": _("Hall staff looked up a citizen"),
    "hall.lookup_refused": _("Hall lookup outside the province"),
    "hall.visit_opened": _("Counter visit opened"),
    "hall.visit_ended": _("Counter visit ended"),
    "hall.documents_recorded": _("Documents checked at the counter"),
    "hall.companion_identified": _("Relative present identified at the counter"),
    "hall.bound": _("Binding made at the counter"),
    "hall.unbound": _("Binding ended at the counter"),
    "balance_enquiry": _("Balance enquiry by an institution"),
    "balance_enquiry_refused": _("Balance enquiry refused"),
    "admin.added": _("Added in the admin"),
    "admin.changed": _("Changed in the admin"),
    "admin.deleted": _("Deleted in the admin"),
    "admin.opened": _("Record opened by an official"),
    "accounts.password_set_by_official": _("Password set by an official"),
    "accounts.password_changed": _("Password changed by its holder"),
    "apikey.issued": _("API key issued"),
    "apikey.revoked": _("API key revoked"),
    "registry.import_previewed": _("Registry file previewed"),
    "registry.imported": _("Registry file imported"),
    "registry.import_refused": _("Registry file refused"),
    "ledger.credits_posted": _("Monthly credits posted"),
    "ledger.credits_refused": _("Monthly credits file refused"),
}

CHANNEL_LABELS = {
    "online": _("Online"),
    "hall": _("Service hall"),
    "api": _("Settlement API"),
    "admin": _("Admin"),
    "command": _("Command (operator)"),
}


def event_label(code: str) -> str:
    return str(EVENT_LABELS.get(code, code))

from django.contrib import admin

from core.admin_scope import ReadOnlyAdmin
from notifications.models import SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    """What the SMS worker sent, is retrying, or gave up on (the text itself is never shown)."""

    list_display = ["created_at", "masked_mobile", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status"]
    fields = ["created_at", "masked_mobile", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields

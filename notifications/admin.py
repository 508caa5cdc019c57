from django.contrib import admin

from core.admin_scope import ReadOnlyAdmin, ScopedAdmin
from notifications.models import SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin, ScopedAdmin):
    """What the SMS worker sent, is retrying, or gave up on (the text itself is never shown). An official sees the
    messages to recipients of their own region or province (the recipient's pooling region); a message to a
    number no insured person has is for national officials only. Filter by status for the failed sends."""

    region_path = "region"
    list_display = ["created_at", "masked_mobile", "region", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", ("region", admin.RelatedOnlyFieldListFilter)]
    fields = ["created_at", "masked_mobile", "region", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    list_select_related = ["region"]
    show_full_result_count = False

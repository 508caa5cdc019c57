from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Officials read the trail; nobody edits it (the database refuses it anyway)."""

    list_display = ["created_at", "event", "subject_type", "subject_id", "actor_label", "channel", "hall"]
    list_filter = ["event", "channel", "subject_type"]
    search_fields = ["=subject_id", "actor_label", "event"]
    date_hierarchy = "created_at"
    list_select_related = ["hall"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

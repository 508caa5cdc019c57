from django.contrib import admin
from django.db.models import Q

from audit.models import AuditEvent


def scoped_events(user, queryset):
    """Events a scoped official may read: those whose subject lay in their scope when the event was written
    (AuditEvent.region / other_region). Events with no region (web accounts, reference data) are for national
    officials and superusers only."""
    if user.is_superuser or not (user.scope_region_id or user.scope_province_id):
        return queryset
    if user.scope_region_id:
        return queryset.filter(Q(region_id=user.scope_region_id) | Q(other_region_id=user.scope_region_id))
    province = user.scope_province_id
    return queryset.filter(Q(region__province_id=province) | Q(other_region__province_id=province))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Officials read the trail, a scoped official only about subjects in their scope (see scoped_events);
    nobody edits it (the database refuses it anyway)."""

    list_display = ["created_at", "event", "subject_type", "subject_id", "actor_label", "channel", "hall"]
    list_filter = ["event", "channel", "subject_type"]
    search_fields = ["=subject_id", "actor_label", "event"]
    date_hierarchy = "created_at"
    list_select_related = ["hall"]
    show_full_result_count = False

    def get_queryset(self, request):
        return scoped_events(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

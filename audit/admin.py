from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.events import CHANNEL_LABELS, event_label
from audit.labels import fallback_labels
from audit.models import AuditEvent, RefusalEntry
from core.admin_scope import ReadOnlyAdmin, limit_to_scope, scope_filter
from registry.models import ServiceHall


def scoped_events(user, queryset):
    """Events a scoped official may read: those whose subject lay in their scope when the event was written
    (AuditEvent.region / other_region). Events with no region (web accounts, reference data) are for national
    officials and superusers only."""
    if user.is_superuser or not (user.scope_region_id or user.scope_province_id):
        return queryset
    if user.scope_region_id:
        # A regional official also reads acts about their whole province (its policy versions, uploads).
        return queryset.filter(Q(region_id=user.scope_region_id) | Q(other_region_id=user.scope_region_id)
                               | Q(region__isnull=True, province_id=user.scope_region_id[:2]))
    province = user.scope_province_id
    return queryset.filter(Q(region__province_id=province) | Q(other_region__province_id=province)
                           | Q(province_id=province))


class EventFilter(admin.SimpleListFilter):
    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by().values_list("event", flat=True).distinct()
        return sorted(((c, f"{event_label(c)} ({c})") for c in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


class ChannelFilter(admin.SimpleListFilter):
    title = _("channel")
    parameter_name = "channel"

    def lookups(self, request, model_admin):
        return list(CHANNEL_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(channel=self.value()) if self.value() else queryset


class HallFilter(admin.SimpleListFilter):
    """Only the halls inside the official's scope."""

    title = _("service hall")
    parameter_name = "hall"

    def lookups(self, request, model_admin):
        halls = limit_to_scope(request.user, ServiceHall.objects.order_by("name"))
        return [(str(h.pk), h.name) for h in halls]

    def queryset(self, request, queryset):
        return queryset.filter(hall_id=self.value()) if self.value() else queryset


class ActorFilter(admin.SimpleListFilter):
    """Every official, staff member and operator who acted in scope (citizens are found by searching)."""

    title = _("actor")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        rows = (model_admin.get_queryset(request).order_by().exclude(channel="online")
                .values_list("actor_label", flat=True).distinct())
        return [(label, label) for label in sorted(rows)]

    def queryset(self, request, queryset):
        return queryset.filter(actor_label=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Officials read the trail, a scoped official only about subjects in their scope (see scoped_events);
    nobody edits it (the database refuses it anyway). Events are named in words with their code, a binding by
    its GJ reference, times in local time; filters by event, actor, channel, hall and period (the date links)."""

    list_display = ["local_time", "event_name", "subject", "actor_label", "channel_name", "hall"]
    list_filter = [EventFilter, ActorFilter, ChannelFilter, HallFilter]
    search_fields = ["=subject_id", "=subject_label", "actor_label", "event"]
    date_hierarchy = "created_at"
    list_select_related = ["hall"]
    show_full_result_count = False

    @admin.display(description=_("time"), ordering="created_at")
    def local_time(self, obj):
        return timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("event"), ordering="event")
    def event_name(self, obj):
        return format_html("{}<br><small>{}</small>", event_label(obj.event), obj.event)

    @admin.display(description=_("subject"))
    def subject(self, obj):
        # Rows written before subject_label existed: the label looked up now (display only, the row is unchanged).
        return (obj.subject_label or getattr(obj, "display_label", "")
                or f"{obj.subject_type}:{obj.subject_id}")

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        fallback_labels(changelist.result_list)
        return changelist

    @admin.display(description=_("channel"), ordering="channel")
    def channel_name(self, obj):
        return CHANNEL_LABELS.get(obj.channel, obj.channel)

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


@admin.register(RefusalEntry)
class RefusalEntryAdmin(ReadOnlyAdmin):
    """The refusal log, read-only: codes, channel, region and time (the statistics page counts them)."""

    list_display = ["created_at", "code", "channel", "region"]
    list_filter = ["channel"]
    search_fields = ["=code"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**scope_filter(request.user, "region"))

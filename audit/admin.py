from django.contrib import admin
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from audit.models import AuditEvent
from portal.admin_scope import scope_filter


def _ids_in_scope(user, model, *region_paths):
    """The primary keys (as text, like AuditEvent.subject_id) of `model` rows in scope by any of `region_paths`."""
    in_scope = Q()
    for path in region_paths:
        in_scope |= Q(**scope_filter(user, path))
    return model.objects.filter(in_scope).annotate(pk_text=Cast("pk", CharField())).values("pk_text")


def scoped_events(user, queryset):
    """Events a scoped official may read: those whose subject lies in their scope.

    The subject is known by type and id only, so each type is matched against its own table: a binding by its
    authorizer's region, a family membership by its holder's, an insured person by theirs, a settlement or a
    refund by the institution's or the patient's region. Events about any other kind of subject (accounts,
    reference data, types added later) are for national officials and superusers only.
    """
    if user.is_superuser or not (user.scope_region_id or user.scope_province_id):
        return queryset
    from family.models import FamilyMembership
    from registry.models import InsuredPerson
    from settlement.models import Refund, Settlement
    from sharing.models import Binding

    subjects = [
        ("sharing.binding", _ids_in_scope(user, Binding, "authorizer__region")),
        ("family.familymembership", _ids_in_scope(user, FamilyMembership, "holder__region")),
        ("registry.insuredperson", _ids_in_scope(user, InsuredPerson, "region")),
        ("settlement.settlement", _ids_in_scope(user, Settlement, "institution__region", "patient__region")),
        ("settlement.refund", _ids_in_scope(user, Refund, "institution__region", "settlement__patient__region")),
    ]
    condition = Q(pk__in=[])
    for subject_type, ids in subjects:
        condition |= Q(subject_type=subject_type, subject_id__in=ids)
    return queryset.filter(condition)


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

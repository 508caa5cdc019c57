from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_audit import AuditedAdmin
from core.admin_scope import NATIONAL, SUPERUSER, ReadOnlyAdmin, ScopedAdmin, scope_level
from registry.admin import scoped_region_filter
from sharing.models import Binding, CommitmentLetter, PremiumPayment
from sharing.review import binding_lift_suspension, binding_suspend
from sharing.services import BindingRefused


@admin.register(CommitmentLetter)
class CommitmentLetterAdmin(AuditedAdmin):
    """National officials (and superusers) publish new versions; the letter is the same across the country, so
    a provincial or regional official only reads it. A published version is read-only (the database refuses to
    change one someone has signed): to change the wording, publish a new version."""

    list_display = ["version", "title", "published_at"]

    def has_add_permission(self, request):
        return scope_level(request.user) in (SUPERUSER, NATIONAL) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False  # published
        return scope_level(request.user) in (SUPERUSER, NATIONAL) and super().has_change_permission(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        latest = CommitmentLetter.objects.order_by("-version").first()
        initial.setdefault("version", (latest.version + 1) if latest else 1)
        if latest is not None:
            initial.setdefault("title", latest.title)
            initial.setdefault("body", latest.body)
        return initial

    def has_delete_permission(self, request, obj=None):
        return False


class BindingActionForm(ActionForm):
    cause = forms.CharField(label=gettext_lazy("Cause (for the audit trail)"), max_length=500, required=False)


@admin.register(Binding)
class BindingAdmin(ScopedAdmin, ReadOnlyAdmin):
    """Bindings change only through the services (audited, both sides told); here officials read them, and
    suspend one for cause or lift that suspension (actions on the list, within the official's scope)."""

    region_path = "authorizer__region"
    list_display = ["reference", "authorizer", "member", "relation", "status", "status_reason", "channel", "signed_at"]
    list_filter = ["status", "relation", "channel",
                   scoped_region_filter("authorizer__region", gettext_lazy("authorizer's pooling region"))]
    search_fields = ["=reference", "=authorizer__certno", "=member__certno"]
    list_select_related = ["authorizer", "member"]
    exclude = ["signature_image", "signature_mime"]
    show_full_result_count = False
    action_form = BindingActionForm
    actions = ["suspend_for_cause", "lift_suspension"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and (
            request.user.is_superuser or request.user.has_perm("sharing.view_binding"))

    def has_suspend_permission(self, request):
        return request.user.is_active and request.user.is_staff and (
            request.user.is_superuser or request.user.has_perm("sharing.change_binding"))

    def _each(self, request, queryset, service, done_message, **kwargs):
        done, refused = 0, []
        for binding in queryset.select_related("authorizer", "member"):
            try:
                service(binding=binding, actor=request.user, **kwargs)
            except BindingRefused as exc:
                refused.append(f"{binding.reference} ({exc})")
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        if refused:
            self.message_user(request, _("Not changed, as their status does not allow it: %(list)s")
                              % {"list": ", ".join(refused)}, messages.WARNING)

    @admin.action(description=gettext_lazy("Suspend for cause"), permissions=["suspend"])
    def suspend_for_cause(self, request, queryset):
        cause = (request.POST.get("cause") or "").strip()
        if not cause:
            self.message_user(request, _("Write the cause of the suspension first."), messages.ERROR)
            return
        self._each(request, queryset, binding_suspend, _("%(count)d binding(s) suspended; both sides were told."),
                   cause=cause)

    @admin.action(description=gettext_lazy("Lift suspension"), permissions=["suspend"])
    def lift_suspension(self, request, queryset):
        self._each(request, queryset, binding_lift_suspension,
                   _("%(count)d suspension(s) lifted; both sides were told."))


@admin.register(PremiumPayment)
class PremiumPaymentAdmin(ScopedAdmin, ReadOnlyAdmin):
    """Premiums paid from personal accounts, for officials of the due's pooling region (read only: a reversal is
    the hall's or the core system's)."""

    region_path = "due__region"
    list_display = ["reference", "due", "payer", "amount", "created_at"]
    list_filter = ["due__kind", "due__year"]
    date_hierarchy = "created_at"
    search_fields = ["=reference"]
    list_select_related = ["due__person", "payer"]

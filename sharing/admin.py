from django.contrib import admin

from portal.admin_scope import ReadOnlyAdmin, ScopedAdmin
from sharing.models import Binding, CommitmentLetter


@admin.register(CommitmentLetter)
class CommitmentLetterAdmin(admin.ModelAdmin):
    """Officials publish new versions; a version someone has signed is read-only (the database agrees)."""

    list_display = ["version", "title", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and Binding.objects.filter(letter=obj).exists():
            return ["version", "title", "body", "published_at"]
        return ["published_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Binding)
class BindingAdmin(ScopedAdmin, ReadOnlyAdmin):
    """Bindings change only through the services (audited, both sides told); here officials read them."""

    region_path = "authorizer__region"
    list_display = ["reference", "authorizer", "member", "relation", "status", "channel", "signed_at"]
    list_filter = ["status", "relation", "channel", "authorizer__region__province"]
    search_fields = ["=reference", "=authorizer__certno", "=member__certno"]
    list_select_related = ["authorizer", "member"]
    exclude = ["signature_image"]
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and (
            request.user.is_superuser or request.user.has_perm("sharing.view_binding"))

from django.contrib import admin

from core.admin_scope import ReadOnlyAdmin, ScopedAdmin
from family.models import FamilyMembership


@admin.register(FamilyMembership)
class FamilyMembershipAdmin(ScopedAdmin, ReadOnlyAdmin):
    """Memberships change only through the family services (audited, people told); officials read them, scoped to
    the holder's pooling region (or province)."""

    region_path = "holder__region"
    list_display = ["holder", "member", "relation", "status", "added_as_minor", "channel", "created_at", "ended_at"]
    list_filter = ["status", "relation", "channel", "added_as_minor", "holder__region__province"]
    search_fields = ["=holder__certno", "=member__certno"]
    list_select_related = ["holder", "member"]
    date_hierarchy = "created_at"
    show_full_result_count = False

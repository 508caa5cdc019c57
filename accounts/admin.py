from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "role", "hall", "scope_province", "scope_region", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    raw_id_fields = ["person"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Portal role"), {"fields": ["role", "person", "mobile", "hall", "scope_province", "scope_region"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if user.is_superuser or not (user.scope_region_id or user.scope_province_id):
            return queryset
        # A regional official manages the staff of halls in scope, not citizens' web accounts elsewhere.
        if user.scope_region_id:
            return queryset.filter(hall__region=user.scope_region_id)
        return queryset.filter(hall__region__province=user.scope_province_id)

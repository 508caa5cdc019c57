from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.admin_audit import AuditedAdmin, record_admin_act
from core.admin_scope import limit_to_scope
from registry.models import ServiceHall

# What only a superuser may set: who is an administrator, what they may do, and whom they oversee.
PRIVILEGED_FIELDS = ["must_change_password", "is_superuser", "is_staff", "groups", "user_permissions", "role", "scope_province",
                     "scope_region", "person", "last_login", "date_joined"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """Web accounts.

    A superuser manages every account with full power. Any other official (one with the "change user"
    permission) manages hall staff only:

    * they see and change accounts with the role "hall staff member", never an account with `is_staff` or
      `is_superuser` (officials, administrators) and never a citizen's account (citizens manage their own);
    * a regional or provincial official only the staff of halls in their region or province, and the `hall`
      choices are those halls; a national official (no scope) the staff of every hall;
    * administrator status, groups, permissions, role, scope and the linked insured person are read-only, and
      an account they add is always a hall staff member of a hall in scope; so no official can grant anyone,
      themselves included, more power than a hall staff member has;
    * they may set a new password for hall staff in scope (staff who forgot theirs), for nobody else: the
      password view looks the account up through get_queryset(), so anyone else's is "not found".
    """

    region_path = "hall__region"  # for the audit trail: a staff member's hall's region
    list_display = ["username", "first_name", "role", "hall", "scope_province", "scope_region", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    raw_id_fields = ["person"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Portal role"), {"fields": ["role", "person", "mobile", "hall", "scope_province", "scope_region"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Portal role"), {"fields": ["first_name", "role", "person", "mobile", "hall", "scope_province",
                                       "scope_region"]}),
    ]
    staff_add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Hall staff member"), {"fields": ["first_name", "mobile", "hall"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return queryset
        queryset = queryset.filter(role=User.Role.STAFF, hall__isnull=False, is_staff=False, is_superuser=False)
        return limit_to_scope(user, queryset)

    def _manages(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._manages(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._manages(request, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None and not request.user.is_superuser:
            return self.staff_add_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + [f for f in PRIVILEGED_FIELDS if f not in readonly]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "hall" in form.base_fields:
            form.base_fields["hall"].required = True  # the accounts an official manages are hall staff
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "hall" and not request.user.is_superuser:
            kwargs["queryset"] = limit_to_scope(request.user, ServiceHall.objects.select_related("region"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # The form cannot carry these (read-only); this holds even if a form ever did.
            if not change:
                obj.role = User.Role.STAFF
                obj.scope_province = obj.scope_region = obj.person = None
            obj.is_staff = obj.is_superuser = False
        if not change:
            obj.must_change_password = True  # the password was chosen by whoever added the account
        super().save_model(request, obj, form, change)


    def user_change_password(self, request, id, form_url=""):
        """Setting someone else's password is audited, and that person must choose a new one at next login (so
        an official cannot act as a hall staff member unnoticed)."""
        user = self.get_object(request, unquote(id))
        old_hash = user.password if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if user is not None and request.method == "POST":
            user.refresh_from_db()
            if user.password != old_hash:
                forced = user.pk != request.user.pk
                if forced:
                    type(user).objects.filter(pk=user.pk).update(must_change_password=True)
                record_admin_act(request, user, "accounts.password_set_by_official",
                                 after={"must_change_password": forced}, region_path=self.region_path)
        return response

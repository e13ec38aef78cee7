"""The system admin (national admins only): accounts and their roles, with the audit history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ["unit", "granted_by"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "groups", "user_permissions"]
    readonly_fields = ["last_login", "date_joined"]
    raw_id_fields = ["official"]
    inlines = [RoleAssignmentInline]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "full_name", "region", "created_at", "accepted_at", "revoked_at"]
    list_select_related = ["region"]
    search_fields = ["email", "full_name"]
    exclude = ["token"]
    raw_id_fields = ["unit", "official", "accepted_user", "invited_by"]

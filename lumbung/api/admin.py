"""Tokens in the system admin: read-only (tokens are made and revoked on their pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    list_display = ["name", "prefix", "kind", "scope", "region", "user", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["kind", "scope"]
    list_select_related = ["region", "user"]
    search_fields = ["name", "prefix", "user__email"]
    exclude = ["key_hash"]
    readonly_fields = [f for f in ("user", "region", "kind", "name", "scope", "created_by", "expires_at")]

    def has_add_permission(self, request):
        return False

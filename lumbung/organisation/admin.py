"""The system admin (national admins only): raw access for support, with the audit history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, Official, Region, Unit


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "is_hosted"]
    list_filter = ["kind", "is_hosted"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "short_name", "code"]
    raw_id_fields = ["parent"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(Official)
class OfficialAdmin(SimpleHistoryAdmin):
    list_display = ["name", "nip", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "nip"]
    inlines = [AssignmentInline]

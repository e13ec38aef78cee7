from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, Document, Entry, OfficialResult


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "status", "claimed_iid", "verified_iid")
    list_filter = ("year", "status")
    search_fields = ("region__name",)
    readonly_fields = ("figures", "claimed_iid", "verified_iid", "figures_updated_at")


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("innovation", "assessment", "is_eligible")
    list_filter = ("is_eligible", "assessment__year")
    search_fields = ("innovation__name",)
    raw_id_fields = ("innovation", "assessment")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "year", "kind", "uploaded_at")
    list_filter = ("kind", "year")
    search_fields = ("title", "number", "subject")
    readonly_fields = ("sha256", "size", "content_type", "original_name", "uploaded_by", "replaces")


@admin.register(OfficialResult)
class OfficialResultAdmin(SimpleHistoryAdmin):
    list_display = ("region", "year", "iid", "rank", "predicate")
    list_filter = ("year",)

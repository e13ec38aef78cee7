from django.contrib import admin

from .models import Action


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("description", "origin", "region", "unit", "due_date", "status")
    list_filter = ("origin", "status")
    search_fields = ("description",)
    raw_id_fields = (
        "region", "unit", "owner", "owner_official", "innovation", "assessment", "case", "planned_action", "visit",
        "catalogue_item", "created_by",
    )  # fmt: skip
    readonly_fields = ("status",)

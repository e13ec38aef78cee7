from django.contrib import admin

from .models import CatalogueItem, Replication, StudyVisit


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    list_display = ("name", "source_region", "region", "source", "year")
    list_filter = ("source", "is_digital", "form")
    search_fields = ("name", "source_region__name")
    raw_id_fields = ("region", "source_region", "created_by")


@admin.register(StudyVisit)
class StudyVisitAdmin(admin.ModelAdmin):
    list_display = ("title", "destination", "region", "start_date", "status")
    list_filter = ("status",)
    raw_id_fields = ("region", "destination", "leader", "created_by")
    readonly_fields = ("status",)


@admin.register(Replication)
class ReplicationAdmin(admin.ModelAdmin):
    list_display = ("innovation", "partner_region", "direction", "status")
    list_filter = ("direction", "status")
    raw_id_fields = ("region", "innovation", "partner_region", "item", "created_by")
    readonly_fields = ("status", "agreement_sha256")

from django.contrib import admin

from .models import Certificate, Event, EvidenceProposal, Registration


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "kind", "starts_at", "status")
    list_filter = ("kind", "status")
    search_fields = ("title", "region__name")
    raw_id_fields = ("organiser", "created_by")
    readonly_fields = ("status",)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "status", "attended_at")
    list_filter = ("status",)
    search_fields = ("name", "code", "event__title")
    raw_id_fields = ("event", "user", "official", "registered_by")
    readonly_fields = ("code", "status", "attended_at", "check_in_method")


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "event", "issued_at")
    search_fields = ("number", "registration__name")
    readonly_fields = ("registration", "event", "sequence", "number", "token", "file", "sha256", "issued_by")


@admin.register(EvidenceProposal)
class EvidenceProposalAdmin(admin.ModelAdmin):
    list_display = ("innovation", "event", "indicator_code", "status", "year")
    list_filter = ("status", "indicator_code")
    readonly_fields = ("status", "document_ids")
    raw_id_fields = ("event", "innovation")

from django.contrib import admin

from .models import Certificate, Competition, Criterion, Entry, JudgeAssignment, Panel, Round, Rubric, Section


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "year", "status"]
    list_filter = ["status", "region"]
    search_fields = ["title"]
    inlines = [RoundInline, SectionInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "scale_min", "scale_max"]
    inlines = [CriterionInline]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "competition", "number", "entrant_name", "status"]
    list_filter = ["status", "competition"]
    search_fields = ["title", "entrant_name", "receipt_code"]
    raw_id_fields = ["entrant", "unit", "official", "innovation", "reached_round"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "round", "lead"]
    filter_horizontal = ["members"]


@admin.register(JudgeAssignment)
class JudgeAssignmentAdmin(admin.ModelAdmin):
    list_display = ["entry", "judge", "round", "status", "method"]
    list_filter = ["status", "method"]
    raw_id_fields = ["entry", "judge", "round", "panel"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["recipient_name", "award_title", "code", "issued_at", "revoked_at"]
    readonly_fields = ["code", "sha256"]

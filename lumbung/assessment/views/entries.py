"""The innovations entered in a year, their rows, the SPD rows and the completeness matrix."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access
from lumbung.core.caching import cached
from lumbung.core.pagecache import cached_page
from lumbung.core.roles import Role
from lumbung.core.spreadsheets import XLSX_CONTENT_TYPE
from lumbung.core.text import parse_id
from lumbung.innovations.models import Innovation
from lumbung.organisation.models import Unit

from .. import grid, packs, reports, scoring, services
from ..forms import EntryAddForm, RegionUnitsForm
from ..models import READER_ROLES, Entry, RegionAnswer, RowStatus
from .common import READING_ROLES, WORKING_ROLES, get_assessment, get_entry, report, row_queryset_for_entry


def _unit_filter(request, assessment):
    """The unit chosen in ?unit= (its sub-units included) and the units that have entries."""
    units = Unit.objects.filter(pk__in=assessment.entries.values("innovation__unit")).order_by("name")
    unit_id = parse_id(request.GET.get("unit"))
    chosen = units.filter(pk=unit_id).first() if unit_id else None
    return chosen, units


def _entries(request, assessment, unit):
    entries = Entry.objects.visible_to(request.user, request.region).filter(assessment=assessment)
    if unit is not None:
        entries = entries.filter(innovation__unit__path__startswith=unit.path)
    return entries.select_related("innovation__unit")


@access.roles(*READING_ROLES)
def entries(request, pk):
    assessment = get_assessment(request, pk)
    unit, units = _unit_filter(request, assessment)
    listed = list(_entries(request, assessment, unit))
    can_add = request.user.has_perm("assessment.add_entry", assessment)
    candidates = (
        Innovation.objects.filter(region=assessment.region, unit__isnull=False)
        .exclude(pk__in=assessment.entries.values("innovation"))
        .exclude(status__in=[Innovation.Status.DRAFT, Innovation.Status.RETURNED])
        .select_related("unit")
        .order_by("unit__name", "name")
    )
    form = EntryAddForm(candidates=candidates) if can_add else None
    gaps = reports.entry_gaps(assessment)
    maturities = scoring.entry_maturities(entries=Q(entry__in=[entry.pk for entry in listed]))
    for entry in listed:
        entry.gap_count = gaps.get(entry.pk, 0)
        entry.claimed = maturities.get(entry.pk, {}).get("claimed")
        entry.verified = maturities.get(entry.pk, {}).get("verified")
    context = {
        "assessment": assessment, "entries": listed, "units": units, "unit": unit, "form": form, "tab": "entries",
    }  # fmt: skip
    return render(request, "assessment/entries.html", context)


@require_POST
@access.roles(Role.ADMIN)
def entry_add(request, pk):
    assessment = get_assessment(request, pk, "assessment.add_entry")
    candidates = Innovation.objects.filter(region=assessment.region, unit__isnull=False).exclude(
        pk__in=assessment.entries.values("innovation")
    )
    form = EntryAddForm(request.POST, candidates=candidates)
    if not form.is_valid():
        messages.error(request, _("Pilih minimal satu inovasi yang belum diikutkan."))
        return redirect("assessment:entries", assessment.pk)
    added = []
    try:
        with transaction.atomic():
            for innovation in form.cleaned_data["innovations"]:
                added.append(services.entry_add(assessment=assessment, innovation=innovation, actor=request.user))
    except ValidationError as error:
        report(request, error)
        return redirect("assessment:entries", assessment.pk)
    ineligible = [entry for entry in added if not entry.is_eligible]
    messages.success(request, _("%(count)s inovasi diikutkan.") % {"count": len(added)})
    if ineligible:
        messages.warning(
            request,
            _("%(count)s di antaranya belum memenuhi syarat; lihat alasannya pada daftar.")
            % {"count": len(ineligible)},
        )
    return redirect("assessment:entries", assessment.pk)


@access.roles(*WORKING_ROLES)
def entry_detail(request, pk):
    entry = get_entry(request, pk)
    assessment = entry.assessment
    rows = list(row_queryset_for_entry(entry))
    gaps = 0
    for row in rows:
        row.gap = entry.is_eligible and reports.is_gap(
            mandatory=row.indicator.is_mandatory, status=row.status, has_evidence=bool(row.evidence_links.all())
        )
        gaps += row.gap
    maturities = entry.maturities()
    context = {
        "assessment": assessment,
        "entry": entry,
        "rows": rows,
        "gaps": gaps,
        "claimed": maturities["claimed"],
        "verified": maturities["verified"],
        "max_maturity": sum(row.indicator.max_score for row in rows),
        "can_manage": request.user.has_perm("assessment.add_entry", assessment),
        "tab": "entries",
    }
    return render(request, "assessment/entry_detail.html", context)


@require_POST
@access.roles(Role.ADMIN)
def entry_recheck(request, pk):
    entry = get_entry(request, pk)
    if not request.user.has_perm("assessment.add_entry", entry.assessment):
        return redirect("assessment:entry-detail", entry.pk)
    try:
        services.entry_recheck(entry=entry, actor=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        if entry.is_eligible:
            messages.success(request, _("Inovasi ini memenuhi syarat dan dihitung dalam indeks."))
        else:
            messages.warning(request, _("Inovasi ini masih belum memenuhi syarat."))
    return redirect("assessment:entry-detail", entry.pk)


@require_POST
@access.roles(Role.ADMIN)
def entry_remove(request, pk):
    entry = get_entry(request, pk)
    assessment = entry.assessment
    if not request.user.has_perm("assessment.add_entry", assessment):
        return redirect("assessment:entry-detail", entry.pk)
    name = entry.innovation.name
    try:
        services.entry_remove(entry=entry, actor=request.user)
    except ValidationError as error:
        report(request, error)
        return redirect("assessment:entry-detail", pk)
    messages.success(request, _("%(name)s dikeluarkan dari penilaian.") % {"name": name})
    return redirect("assessment:entries", assessment.pk)


@require_POST
@access.roles(Role.ADMIN, Role.VERIFIER, Role.OPERATOR, Role.INNOVATOR)
def entry_pack(request, pk):
    """Start building the national portal pack; the job page shows its progress."""
    entry = get_entry(request, pk)
    job = packs.portal_pack_start(entry=entry, actor=request.user)
    return redirect("core:job-detail", job.pk)


def _region_rows_page(request, assessment, form=None, status=200):
    rows = list(reports.region_rows(assessment))
    for row in rows:
        row.gap = reports.is_gap(
            mandatory=row.indicator.is_mandatory, status=row.status, has_evidence=row.evidence_count > 0
        )
    if form is None and request.user.has_perm("assessment.plan", assessment):
        form = RegionUnitsForm(rows=rows, units=_responsible_units(assessment))
    elif form is not None:
        # The posted form, shown again with its errors beside the rows it belongs to.
        for row in rows:
            row.unit_field = form[f"unit_{row.pk}"]
    mine = set(
        RegionAnswer.objects.filter(assessment=assessment)
        .operated_by(request.user, request.region)
        .values_list("pk", flat=True)
    )
    context = {
        "assessment": assessment, "rows": rows, "gaps": sum(row.gap for row in rows), "tab": "spd", "form": form,
        "mine": mine,
        "spd": assessment.projection("claimed").get("spd_score"),
        "spd_verified": assessment.projection("verified").get("spd_score"),
    }  # fmt: skip
    return render(request, "assessment/region_rows.html", context, status=status)


def _responsible_units(assessment):
    """Units that can answer for an SPD row: every active unit but villages."""
    return list(
        Unit.objects.filter(region=assessment.region, is_active=True).exclude(kind=Unit.Kind.VILLAGE).order_by("name")
    )


@access.roles(*READING_ROLES)
def region_rows(request, pk):
    return _region_rows_page(request, get_assessment(request, pk))


@require_POST
@access.roles(Role.ADMIN)
def region_units(request, pk):
    """Save the unit responsible for each SPD row."""
    assessment = get_assessment(request, pk, "assessment.plan")
    rows = list(reports.region_rows(assessment))
    form = RegionUnitsForm(request.POST, rows=rows, units=_responsible_units(assessment))
    if not form.is_valid():
        messages.error(request, _("Periksa pilihan perangkat daerah yang ditandai."))
        return _region_rows_page(request, assessment, form, status=400)
    try:
        changed = services.region_rows_assign(assessment=assessment, units=form.assignments(), actor=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Penanggung jawab %(count)s indikator SPD disimpan.") % {"count": changed})
    return redirect("assessment:region-rows", assessment.pk)


@access.roles(Role.ADMIN, Role.VERIFIER)
@cached_page("verification-queue")
def queue(request, pk):
    """The verifier's work: rows claimed or resubmitted, oldest first."""
    assessment = get_assessment(request, pk)
    unit, units = _unit_filter(request, assessment)
    page = Paginator(reports.verification_queue(assessment, unit), 50).get_page(request.GET.get("page"))
    context = {"assessment": assessment, "page_obj": page, "units": units, "unit": unit, "tab": "matrix"}
    return render(request, "assessment/queue.html", context)


def _matrix_filter(request, assessment, units) -> grid.MatrixFilter:
    unit_id = parse_id(request.GET.get("unit"))
    indicator_id = parse_id(request.GET.get("indikator"))
    status = request.GET.get("status", "")
    indicator = None
    if indicator_id:
        indicator = assessment.framework.indicators.filter(aspect="innovation", pk=indicator_id).first()
    return grid.MatrixFilter(
        unit=units.filter(pk=unit_id).first() if unit_id else None,
        indicator=indicator,
        status=status if status in (*RowStatus.values, grid.GAP) else "",
    )


@access.roles(*READING_ROLES)
@cached_page("matrix")
def matrix(request, pk):
    """A page of entries × indicators, narrowed by unit, indicator or state; the counts above it
    are those of every entry of the unit chosen (SQL aggregates)."""
    assessment = get_assessment(request, pk)
    _unit, units = _unit_filter(request, assessment)
    filters = _matrix_filter(request, assessment, units)
    shown = _matrix_table(request, assessment, filters)
    context = {
        "assessment": assessment, "table": shown["html"], "units": units, "unit": filters.unit, "filters": filters,
        "page_obj": Paginator(range(shown["total"]), grid.PAGE_SIZE).get_page(shown["number"]),
        "indicators": grid.innovation_indicators(assessment), "tab": "matrix",
        "statuses": [*RowStatus.choices, (grid.GAP, _("Kekurangan wajib"))],
    }  # fmt: skip
    return render(request, "assessment/matrix.html", context)


def _matrix_table(request, assessment, filters) -> dict:
    """The counts and one page of the matrix as HTML, cached under the region's data version:
    500 linked cells a page cost more to render than to read, and change only with the data.
    Whoever reads the whole region shares one copy; anyone else (an operator, a team member) gets
    one of their own, keyed also by the units they operate."""
    user = request.user
    if user.has_any_role(READER_ROLES, assessment.region):
        viewer = "region"
    else:
        viewer = f"user:{user.pk}:{user.official_id}:{','.join(sorted(user.operator_unit_paths(assessment.region)))}"
    requested = request.GET.get("page") or ""

    def build() -> dict:
        entries = _entries(request, assessment, filters.unit)
        table, page = grid.matrix_page(assessment, entries, filters, requested)
        html = render_to_string(
            "assessment/_matrix_table.html",
            {
                "matrix": table, "filters": filters, "total": page.paginator.count,
                "counts": grid.matrix_counts(entries, filters.indicator), "row_prefix": grid.row_url_prefix(),
                "entry_prefix": reverse("assessment:entry-detail", args=[0]).removesuffix("0/"),
            },
        )  # fmt: skip
        return {"html": html, "total": page.paginator.count, "number": page.number}

    parts = (
        assessment.pk, viewer, filters.unit.pk if filters.unit else "", filters.indicator.pk if filters.indicator else "",
        filters.status, requested, get_language(),
    )  # fmt: skip
    return cached("matrix", region_id=assessment.region_id, parts=parts, build=build)


@access.roles(*READING_ROLES)
def matrix_export(request, pk):
    """The workbook written row by row; a region of many innovations gets it from the worker."""
    assessment = get_assessment(request, pk)
    unit, _units = _unit_filter(request, assessment)
    entries = _entries(request, assessment, unit)
    if entries.count() > grid.EXPORT_IN_WORKER:
        job = grid.matrix_export_start(assessment=assessment, actor=request.user, unit=unit)
        return redirect("core:job-detail", job.pk)
    output = grid.matrix_workbook(assessment, entries, title=grid.export_title(assessment))
    return FileResponse(
        output, as_attachment=True, filename=grid.export_name(assessment), content_type=XLSX_CONTENT_TYPE
    )

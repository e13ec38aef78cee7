"""Province and national views: the hosted regions of the user's scope side by side, their history,
the regions that most need help, a read-only look at one region, and a clinic case for it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.assessment import charts as assessment_charts
from lumbung.assessment.models import Assessment
from lumbung.assessment.views.assessments import overview_context
from lumbung.core import charts
from lumbung.core.access import access, get_for_user
from lumbung.core.roles import Role
from lumbung.core.spreadsheets import csv_response, xlsx_response
from lumbung.organisation.models import Region

from . import services
from .forms import HelpCaseForm
from .models import RegionIndexSnapshot

SCOPE_ROLES = (Role.PROVINCE_ADMIN, Role.NATIONAL_ADMIN)
PAGE_SIZE = 50
NEED_HELP_SHOWN = 10
# Lines in the history chart: more than this many cannot be told apart; the table holds them all.
CHART_LINES = 7


def _scope(request):
    province_code = request.GET.get("provinsi", "").strip()[:13] if request.user.is_national_admin else ""
    regions = services.regions_in_scope(request.user, request.region, province_code=province_code)
    year = services.season_year(regions)
    return regions, year, province_code


@access.roles(*SCOPE_ROLES)
def overview(request):
    """The ranking of the regions in scope, the regions that most need help, and the history."""
    regions, year, province_code = _scope(request)
    rows = services.ranking(regions=regions, year=year) if year else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # The history of the regions on this page, in the ranking's order.
    history = services.history(regions=[row.region for row in page], year=year) if year else None
    context = {
        "year": year,
        "page_obj": page,
        "need_help": services.need_help(rows)[:NEED_HELP_SHOWN],
        "history": history,
        "history_chart": _history_chart(history) if history and history.dates else None,
        "chart_lines": CHART_LINES,
        "province_code": province_code,
        "provinces": services.provinces_with_hosted_regions() if request.user.is_national_admin else [],
        "scope_name": _scope_name(request, province_code),
        "today": timezone.localdate(),
    }
    return render(request, "rankings/overview.html", context)


def _history_chart(history: services.History) -> charts.Chart:
    """The expected IID of the page's best-ranked regions over the season, a line each."""
    lines = history.lines()[:CHART_LINES]
    return charts.line_chart(
        key="ranking-history",
        title=_("IID perkiraan selama musim penilaian"),
        x_labels=[day.strftime("%d/%m") for day in history.dates],
        series=[
            charts.Series(region.name, [cell.expected_iid if cell else None for cell in cells])
            for region, cells in lines
        ],
        x_title=_("Tanggal"),
        decimals=2,
        empty_text=_("Belum ada potret harian."),
    )


def _scope_name(request, province_code: str) -> str:
    if request.user.is_national_admin:
        if province_code:
            province = Region.objects.filter(code=province_code).first()
            return province.name if province else province_code
        return _("Semua pemda yang memakai aplikasi ini")
    return request.region.name if request.region else ""


@access.roles(*SCOPE_ROLES)
def export(request, fmt):
    """The ranking and its history as a workbook (two sheets) or the ranking as CSV."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    regions, year, _province = _scope(request)
    rows = services.ranking(regions=regions, year=year) if year else []
    headers, body = services.ranking_export_rows(rows)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        return csv_response(f"peringkat-pemda-{stamp}.csv", headers, body)
    history = services.history(regions=regions, year=year) if year else services.History([], [])
    history_headers, history_body = services.history_export_rows(history)
    return xlsx_response(
        f"peringkat-pemda-{stamp}.xlsx",
        [(_("Peringkat"), headers, body), (_("Riwayat IID perkiraan"), history_headers, history_body)],
        title=_("Peringkat pemda"),
    )


def _target(request, code: str, perm: str = "rankings.view_region") -> Region:
    return get_for_user(request.user, Region.objects.filter(is_hosted=True), perm, code=code)


@access.roles(*SCOPE_ROLES)
def region_detail(request, code):
    """One region's dashboard figures, read-only: no names of its people, no links into its work."""
    region = _target(request, code)
    assessment = Assessment.objects.filter(region=region).select_related("framework", "region").first()
    context = {"target": region, "assessment": assessment}
    if assessment is not None:
        context.update(overview_context(assessment))
        context["season_chart"] = assessment_charts.season(assessment)
    context["snapshots"] = list(
        RegionIndexSnapshot.objects.filter(region=region, year=assessment.year).order_by("-taken_on")[:14]
        if assessment
        else []
    )
    return render(request, "rankings/region_detail.html", context)


@access.roles(*SCOPE_ROLES)
def help_case(request, code):
    """Open a clinic case for a region that needs help; the case belongs to that region."""
    region = _target(request, code, "rankings.open_help_case")
    form = HelpCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.help_case_open(target=region, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Kasus klinik %(reference)s dibuka untuk %(region)s; admin inovasinya diberi tahu.")
                % {"reference": case.reference, "region": region.name},
            )
            return redirect("rankings:overview")
    return render(request, "rankings/help_case.html", {"target": region, "form": form})

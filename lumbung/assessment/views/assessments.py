"""The assessments of the region: list, opening a year, its overview, stages and lock, the
leaders' dashboard and the official results of past years."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.actions.models import Action
from lumbung.core.access import access
from lumbung.core.caching import cached
from lumbung.core.files import private_headers
from lumbung.core.pagecache import cached_page
from lumbung.core.pdf import render_pdf
from lumbung.core.roles import Role
from lumbung.core.workflow import TransitionNotAllowed

from .. import charts, reports, scoring, services
from ..briefing import briefing_context
from ..forms import AssessmentCreateForm, OfficialResultForm, StagesForm
from ..models import Assessment, Entry, OfficialResult
from ..workflows import ASSESSMENT
from .common import READING_ROLES, WORKING_ROLES, get_assessment, report
from .sheets import module_summary


@access.roles(*WORKING_ROLES)
def index(request):
    """The years of the region, and the innovations the user works on."""
    user, region = request.user, request.region
    assessments = list(Assessment.objects.filter(region=region).select_related("framework"))
    entries = (
        Entry.objects.visible_to(user, region)
        .filter(assessment__in=assessments)
        .select_related("innovation__unit", "assessment")
        .order_by("-assessment__year", "innovation__name")
    )
    context = {
        "assessments": assessments if user.has_any_role(READING_ROLES, region) else [],
        "entries": entries[:50],
        "can_create": user.has_role(Role.ADMIN, region),
    }
    return render(request, "assessment/index.html", context)


@access.roles(Role.ADMIN)
def create(request):
    form = AssessmentCreateForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stages = {name: value for name, value in data.items() if name != "year"}
        try:
            assessment = services.assessment_create(
                region=request.region, year=data["year"], framework=form.framework, actor=request.user, **stages
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Penilaian IGA %(year)s dibuka.") % {"year": assessment.year})
            return redirect("assessment:detail", assessment.pk)
    return render(request, "assessment/create.html", {"form": form})


def overview_figures(assessment: Assessment) -> dict:
    """The region-wide figures of the overview and the dashboard, aggregated in SQL through the
    rows' indexed assessment column; the same for every reader of the region, so cached under the
    region's data version (and the language: unit names fall back to a translated label)."""

    def build() -> dict:
        return {
            "units": reports.unit_progress(assessment),
            "status_counts": reports.status_summary(assessment),
            "region_gaps": reports.region_gaps(reports.region_rows(assessment)),
            "innovation_gaps": reports.innovation_gap_count(assessment),
            "awaiting": reports.rows_awaiting_verdict(assessment),
            "entry_count": assessment.entries.count(),
            "ineligible_count": assessment.entries.filter(is_eligible=False).count(),
        }

    return cached("assessment-overview", region_id=assessment.region_id, parts=(assessment.pk, get_language()),
                  build=build)  # fmt: skip


def overview_context(assessment: Assessment) -> dict:
    scoring.ensure_current(assessment=assessment)
    return {
        "assessment": assessment,
        "claimed": assessment.projection("claimed"),
        "verified": assessment.projection("verified"),
        **overview_figures(assessment),
    }


@access.roles(*READING_ROLES)
@cached_page("assessment-overview")
def detail(request, pk):
    assessment = get_assessment(request, pk)
    context = overview_context(assessment)
    context.update(
        tab="overview",
        modules=module_summary(assessment),
        transitions=ASSESSMENT.available(request.user, assessment),
        events=ASSESSMENT.describe(
            assessment.events.select_related("actor").order_by("-created_at", "-id")[:8],
            extra_labels=EVENT_LABELS,
        ),
    )
    return render(request, "assessment/detail.html", context)


EVENT_LABELS = {
    "create": gettext_lazy("Penilaian dibuka"),
    "stages": gettext_lazy("Jadwal tahapan diubah"),
    "add_entry": gettext_lazy("Inovasi diikutkan"),
    "remove_entry": gettext_lazy("Inovasi dikeluarkan"),
    "recheck_entry": gettext_lazy("Syarat inovasi diperiksa ulang"),
    "modules": gettext_lazy("Modul presentasi dan validasi lapangan diubah"),
}


@access.roles(Role.ADMIN)
def stages(request, pk):
    assessment = get_assessment(request, pk, "assessment.manage_assessment")
    form = StagesForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        fresh = Assessment.objects.get(pk=assessment.pk)
        services.assessment_update_stages(assessment=fresh, actor=request.user, **values)
        messages.success(request, _("Jadwal tahapan disimpan."))
        return redirect("assessment:detail", assessment.pk)
    return render(request, "assessment/stages.html", {"assessment": assessment, "form": form, "tab": "overview"})


@require_POST
@access.roles(Role.ADMIN)
def transition(request, pk):
    assessment = get_assessment(request, pk, "assessment.manage_assessment")
    try:
        services.assessment_transition(
            assessment=assessment,
            action=request.POST.get("action", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except (ValidationError, TransitionNotAllowed, PermissionDenied) as error:
        report(request, error)
    else:
        if assessment.is_open:
            messages.success(request, _("Kunci dibuka; jawaban dan eviden dapat diubah lagi."))
        else:
            messages.success(request, _("Penilaian dikunci; jawaban dan eviden tidak dapat diubah lagi."))
    return redirect("assessment:detail", assessment.pk)


DASHBOARD_ROLES = (Role.ADMIN, Role.VERIFIER, Role.LEADER)


def _dashboard_context(region) -> dict:
    assessment = Assessment.objects.filter(region=region).select_related("framework", "region").first()
    context = {"results": list(OfficialResult.objects.filter(region=region).order_by("year")), "assessment": assessment}
    if assessment is not None:
        context.update(overview_context(assessment))
        context["open_actions"] = (
            Action.objects.filter(assessment=assessment).pending().select_related("unit").order_by("due_date")[:10]
        )
    context["charts"] = _dashboard_charts(context)
    return context


@access.roles(*DASHBOARD_ROLES)
@cached_page("dashboard")
def dashboard(request):
    """For leaders: where the index stands now, what is missing, and the years behind us."""
    return render(request, "assessment/dashboard.html", _dashboard_context(request.region))


@access.roles(*DASHBOARD_ROLES)
def dashboard_pdf(request):
    """The dashboard as a briefing of two pages or so, to print or to forward.

    The same for every reader of the region (no personal data) until its data changes or the day
    turns (days left, overdue actions), so the document itself is cached: laying out the pages
    takes most of its time."""
    region = request.region

    def build() -> dict:
        context = _dashboard_context(region)
        context.update(briefing_context(region=region, assessment=context["assessment"]))
        pdf = render_pdf("assessment/pdf/briefing.html", context, request=request)
        return {"pdf": pdf, "day": context["generated_at"].strftime("%Y-%m-%d")}

    document = cached("dashboard-pdf", region_id=region.pk, parts=(get_language(), timezone.localdate()), build=build)
    response = HttpResponse(document["pdf"], "application/pdf")
    response["Content-Disposition"] = f'inline; filename="ringkasan-iga-{region.code}-{document["day"]}.pdf"'
    return private_headers(response)


def _dashboard_charts(context: dict) -> dict:
    """The dashboard's pictures (also printed in the briefing)."""
    pictures = {"rank": charts.rank_history(context["results"]), "iid": charts.iid_history(context["results"])}
    if context["assessment"] is not None:
        pictures["season"] = charts.season(context["assessment"])
        pictures["units"] = charts.unit_completeness(context["units"])
    return pictures


@access.roles(*DASHBOARD_ROLES)
def results(request):
    """Official results per year; the admin records them as the ministry publishes them."""
    region = request.region
    can_edit = request.user.has_role(Role.ADMIN, region)
    form = OfficialResultForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            year = data.pop("year")
            services.official_result_save(region=region, year=year, actor=request.user, **data)
            messages.success(request, _("Hasil resmi %(year)s disimpan.") % {"year": year})
            return redirect("assessment:results")
    history = OfficialResult.objects.filter(region=region).select_related("entered_by").order_by("-year")
    compared = scoring.results_compared(region=region, results=list(history))
    return render(request, "assessment/results.html", {"results": compared, "form": form})

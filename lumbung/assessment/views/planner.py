"""The planner: what raises the index most, a what-if mode that saves nothing, and the actions
assigned to units with a due date."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.actions.models import Action
from lumbung.actions.workflows import ACTION
from lumbung.core.access import access
from lumbung.core.caching import cached
from lumbung.core.pagecache import cached_page
from lumbung.core.roles import Role
from lumbung.core.text import parse_id
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.frameworks.planner import ActionKind, Projection, counted_level
from lumbung.frameworks.specs import spec_for
from lumbung.organisation.models import Unit

from .. import planning, readings, services
from ..forms import PlannedActionForm
from .common import READING_ROLES, get_action, get_assessment, report

PLANNER_ROLES = (Role.ADMIN, Role.VERIFIER, Role.LEADER)
SHOWN_ACTIONS = 25
KIND_LABELS = {
    ActionKind.RAISE_LEVEL: gettext_lazy("Naikkan parameter"),
    ActionKind.FIX_REJECTED: gettext_lazy("Perbaiki baris ditolak"),
    ActionKind.VERIFY_PENDING: gettext_lazy("Verifikasi"),
    ActionKind.FILL_MANDATORY: gettext_lazy("Isi indikator wajib"),
    ActionKind.ADD_EVIDENCE: gettext_lazy("Lengkapi eviden"),
    ActionKind.COVER_BASIC_SERVICES: gettext_lazy("Penuhi urusan pelayanan dasar"),
    ActionKind.ADD_INNOVATION: gettext_lazy("Tambah inovasi"),
}


def _projection(request) -> Projection:
    source = request.POST if request.method == "POST" else request.GET
    value = source.get("proyeksi")
    return Projection(value) if value in {str(item) for item in Projection} else Projection.VERIFIED


def _kind(request) -> str:
    kind = request.GET.get("jenis", "")
    return kind if kind in KIND_LABELS else ""


def _shown_actions(result, data, unit, kind):
    """The region's ranking, narrowed to one unit's or one kind's steps (the gains stay the
    whole region's). The ranking builds only the actions read (the page's); the narrowing reads
    each action's kind, innovation and row without building it."""
    actions = result.actions
    if kind:
        actions = actions.filter(lambda action_kind, _innovation, _row: action_kind == kind)
    if unit is not None:
        # An innovation's step belongs to the innovation's unit, an SPD row's to the unit made
        # responsible for it; region-wide steps (coverage, one more innovation) to no unit.
        paths = dict(data.unit_paths)
        spd_paths = {code: row.unit.path for code, row in data.region_answers.items() if row.unit_id}
        actions = actions.filter(
            lambda _kind, innovation_id, row_code: (
                (paths if innovation_id else spd_paths).get(innovation_id or row_code, "-").startswith(unit.path)
            )
        )
    return actions


def _plan_page(assessment, projection, unit, kind: str, requested_page) -> dict:
    """The plan's figures and one page of its ranked actions, ready to show.

    Ranking weighs every possible step of every row (about 15,000 for a region of 1,000
    innovations; each distinct row state once, so tens of milliseconds, the queries most of the
    rest) and changes only when the region's data or the methodology does, so the result is
    cached under the region's data version: any write to the region's answers, evidence,
    entries or innovations makes the next read compute it afresh.
    """

    def build() -> dict:
        result, data = planning.plan_for(assessment, projection, prepare=0)
        page = Paginator(_shown_actions(result, data, unit, kind), SHOWN_ACTIONS).get_page(requested_page)
        data.prepare(page.object_list)
        row_prefix = {scope: _row_url_prefix(scope) for scope in ("inovasi", "spd")}
        items = []
        for action in page.object_list:
            row, innovation, action_unit = planning.action_target(action, data)
            text = planning.describe(action, data)
            items.append(
                {
                    "action": action,
                    "text": text,
                    "kind": str(KIND_LABELS[action.kind]),
                    "row": row,
                    "row_url": f"{row_prefix[row.scope]}{row.pk}/" if row is not None else "",
                    "innovation": innovation,
                    "unit": action_unit,
                    # Each assignment form lists every unit of the region, so the page carries only
                    # the prefilled values and the form is loaded when the admin opens it.
                    "assign": {
                        "description": text,
                        "gain": action.gain,
                        "kind": action.kind,
                        "indicator_code": action.row_code or "",
                        "unit": action_unit.pk if action_unit else "",
                        "entry": action.innovation_id or "",
                        "prefix": f"a{len(items)}",
                    },
                }
            )
        return {
            "plan": replace(result, actions=()),
            "count": page.paginator.count,
            "number": page.number,
            "items": items,
            "outcomes": planning.outcome_rows(result, data),
            # The index under the project's other readings (inferences), shown before any what-if.
            "readings": readings.reading_alternatives(assessment, projection, data, now=result.result.iid),
            "whatif_spd": _whatif_spd(data, projection),
        }

    parts = (assessment.pk, projection, kind, unit.pk if unit else "", requested_page or "", get_language())
    return cached("planner", region_id=assessment.region_id, parts=parts, build=build)


@access.roles(*PLANNER_ROLES)
@cached_page("planner")
def planner(request, pk):
    assessment = get_assessment(request, pk, "assessment.view_plan")
    projection = _projection(request)
    units = Unit.objects.filter(region=assessment.region, is_active=True).order_by("name")
    unit_id = parse_id(request.GET.get("unit"))
    unit = units.filter(pk=unit_id).first() if unit_id else None
    kind = _kind(request)
    shown = _plan_page(assessment, projection, unit, kind, request.GET.get("page"))
    result = shown["plan"]
    page = Paginator(range(shown["count"]), SHOWN_ACTIONS).get_page(shown["number"])
    can_plan = request.user.has_perm("assessment.plan", assessment)
    # What is already handed to a unit, so the same step is not assigned twice (read fresh: the
    # assignments are not part of the cached plan).
    assigned = {
        (item.kind, item.innovation_id, item.indicator_code): item
        for item in Action.objects.filter(assessment=assessment).pending().select_related("unit")
    }
    actions = [
        {
            **item,
            "assigned": assigned.get(
                (
                    item["action"].kind,
                    item["innovation"].pk if item["innovation"] else None,
                    item["action"].row_code or "",
                )
            ),
            "assign_query": urlencode(item["assign"]) if can_plan else "",
        }
        for item in shown["items"]
    ]
    context = {
        "assessment": assessment,
        "plan": result,
        "actions": actions,
        "page_obj": page,
        "units": units,
        "unit": unit,
        "kind": kind,
        "kinds": list(KIND_LABELS.items()),
        "projection": projection,
        "outcomes": shown["outcomes"],
        "readings": shown["readings"],
        "unavailable_readings": readings.not_computable(assessment),
        "whatif_spd": shown["whatif_spd"],
        "whatif_entries": _whatif_entries(request, assessment),
        "whatif_prefix": reverse("assessment:whatif-entry", args=[assessment.pk, 0]).removesuffix("0/"),
        "missing_affairs": planning.affair_names(result.result.basic_services_missing),
        "count_blocked": result.result.basic_services_covered < spec_for(assessment.framework).basic_services_required,
        "tab": "planner",
        "can_plan": can_plan,
    }
    return render(request, "assessment/planner.html", context)


def _row_url_prefix(scope: str) -> str:
    """The row page's address without its id: reversed once, not once per action or cell."""
    return reverse("assessment:row-detail", args=[scope, 0]).removesuffix("0/")


def _whatif_spd(data: planning.PlannerInput, projection: Projection) -> list:
    """The SPD rows at the level that counts now, as the what-if form starts from them."""
    spd = [(row, counted_level(data.region_rows[code], projection)) for code, row in data.region_answers.items()]
    return sorted(spd, key=lambda pair: pair[0].indicator.order)


def _whatif_entries(request, assessment):
    """A page of the innovations the what-if can open, one at a time (their rows load on demand)."""
    entries = (
        assessment.entries.filter(is_eligible=True)
        .order_by("innovation__name", "pk")
        .values("pk", "innovation__name", "innovation__unit__name", "innovation__unit__short_name")
    )
    return Paginator(entries, SHOWN_ACTIONS).get_page(request.GET.get("simulasi"))


@require_POST
@access.roles(*PLANNER_ROLES)
def whatif(request, pk):
    """A pure computation: the index for the levels on the screen. Nothing is saved."""
    assessment = get_assessment(request, pk, "assessment.view_plan")
    context = {"assessment": assessment}
    projection = _projection(request)
    try:
        # The saved answers, read once for the what-if and for the readings.
        data = planning.planner_input(assessment)
        context["result"] = planning.what_if(assessment, request.POST, projection, data)
        context["readings"] = _readings(assessment, projection, data)
        context["unavailable_readings"] = readings.not_computable(assessment)
    except planning.WhatIfError as error:
        context["error"] = str(error)
    base = request.POST.get("base_iid", "")
    if "result" in context and base:
        with contextlib.suppress(InvalidOperation):
            base_iid = Decimal(base)
            # An index from our own page; "NaN" or "1e400" would only break the number format.
            if base_iid.is_finite() and abs(base_iid) <= 1000:
                context["delta"] = context["result"].iid - base_iid
    template = "assessment/_whatif_result.html" if request.htmx else "assessment/whatif.html"
    return render(request, template, context, status=400 if "error" in context else 200)


def _readings(assessment, projection: Projection, data: planning.PlannerInput) -> list:
    """The region's index under the project's other readings (inferences), from its saved answers:
    the same for every what-if typed over them, so kept under the region's data version (as the
    planner's page keeps them) rather than computed again at each try."""
    parts = (assessment.pk, projection, get_language())
    return cached(
        "readings",
        region_id=assessment.region_id,
        parts=parts,
        build=lambda: readings.reading_alternatives(assessment, projection, data),
    )


@access.roles(*PLANNER_ROLES)
def whatif_entry(request, pk, entry_pk):
    """One innovation's what-if selects, loaded into the planner's form when it is opened."""
    assessment = get_assessment(request, pk, "assessment.view_plan")
    entry = get_object_or_404(assessment.entries.filter(is_eligible=True).select_related("innovation"), pk=entry_pk)
    context = {
        "assessment": assessment,
        "entry": entry,
        "rows": planning.whatif_rows(assessment, entry, _projection(request)),
    }
    template = "assessment/_whatif_entry.html" if request.htmx else "assessment/whatif_entry.html"
    return render(request, template, context)


@access.roles(Role.ADMIN)
def action_new(request, pk):
    """The form assigning one planner action to a unit, prefilled from the planner's link (a
    fragment when the planner loads it in place, a page without JavaScript)."""
    assessment = get_assessment(request, pk, "assessment.plan")
    units = Unit.objects.filter(region=assessment.region, is_active=True).order_by("name")
    initial = {name: request.GET.get(name) or None for name in PlannedActionForm.base_fields}
    form = PlannedActionForm(units=units, initial=initial, prefix=request.GET.get("prefix") or None)
    template = "assessment/_assign_form.html" if request.htmx else "assessment/action_new.html"
    return render(request, template, {"assessment": assessment, "form": form, "tab": "planner"})


@require_POST
@access.roles(Role.ADMIN)
def action_create(request, pk):
    assessment = get_assessment(request, pk, "assessment.plan")
    units = Unit.objects.filter(region=assessment.region, is_active=True)
    prefix = request.POST.get("prefix", "")
    form = PlannedActionForm(request.POST, units=units, prefix=prefix or None)
    if not form.is_valid():
        # The form again with what was typed and the errors at their fields, not a message on the
        # planner where the description and due date would have to be entered anew.
        context = {"assessment": assessment, "form": form, "tab": "planner"}
        return render(request, "assessment/action_new.html", context, status=400)
    data = form.cleaned_data
    entry = (
        assessment.entries.filter(pk=data.get("entry")).select_related("innovation").first()
        if data.get("entry")
        else None
    )
    try:
        services.planned_action_create(
            assessment=assessment,
            actor=request.user,
            description=data["description"],
            gain=data["gain"],
            kind=data["kind"],
            innovation=entry.innovation if entry else None,
            indicator_code=data["indicator_code"],
            unit=data["unit"],
            due_date=data["due_date"],
        )
    except ValidationError as error:
        report(request, error)
        return redirect("assessment:planner", assessment.pk)
    messages.success(
        request, _("Tindakan ditugaskan kepada %(unit)s.") % {"unit": data["unit"].short_name or data["unit"].name}
    )
    return redirect("assessment:actions", assessment.pk)


@access.roles(*READING_ROLES)
def actions(request, pk):
    assessment = get_assessment(request, pk)
    items = list(
        Action.objects.visible_to(request.user, request.region)
        .filter(assessment=assessment)
        .select_related("unit", "innovation", "assessment")
        .order_by("status", "due_date", "-gain")
    )
    for item in items:
        item.transitions = ACTION.available(request.user, item)
    open_gain = sum(item.gain for item in items if item.is_pending)
    context = {"assessment": assessment, "items": items, "open_gain": open_gain, "tab": "actions"}
    return render(request, "assessment/actions.html", context)


@require_POST
@access.roles(*READING_ROLES)
def action_transition(request, pk):
    item = get_action(request, pk)
    try:
        services.planned_action_transition(
            item=item, action=request.POST.get("action", ""), actor=request.user, note=request.POST.get("note", "")
        )
    except (ValidationError, TransitionNotAllowed, PermissionDenied) as error:
        report(request, error)
    else:
        messages.success(request, _("Status tindakan: %(status)s.") % {"status": item.get_status_display()})
    return redirect("assessment:actions", item.assessment_id)

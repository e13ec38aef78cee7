"""The optional modules of the later stages: presentation score sheets and the field-check list
of the presented innovations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user
from lumbung.core.roles import Role
from lumbung.core.templatetags.lumbung import num
from lumbung.core.workflow import TransitionNotAllowed

from .. import sheets
from ..forms import FieldCheckAddForm, FieldCheckPhotoForm, FieldCheckResultForm, ModulesForm, PresentationSheetForm
from ..models import FieldCheck, PresentationSheet
from ..workflows import FIELD_CHECK
from .common import READING_ROLES, WORKING_ROLES, get_assessment, report

REVIEWERS = (Role.ADMIN, Role.VERIFIER)
SHEET_EVENT_LABELS = {"create": gettext_lazy("Lembar dicatat"), "update": gettext_lazy("Nilai diubah")}
CHECK_EVENT_LABELS = {"create": gettext_lazy("Masuk daftar periksa"), "photo": gettext_lazy("Foto ditambahkan")}


def module_summary(assessment) -> dict:
    """What the assessment page shows of the two modules (three queries at most)."""
    summary = {}
    if assessment.presentation_enabled:
        sheets_ = list(assessment.presentation_sheets.all())
        summary["official"] = next((sheet for sheet in sheets_ if sheet.is_official), None)
        summary["rehearsals"] = [sheet for sheet in sheets_ if not sheet.is_official]
    if assessment.field_check_enabled:
        summary["checks"] = FieldCheck.objects.filter(entry__assessment=assessment).aggregate(
            total=Count("id"), **{status: Count("id", filter=Q(status=status)) for status in FieldCheck.Status.values}
        )
    return summary


@require_POST
@access.roles(Role.ADMIN)
def modules(request, pk):
    assessment = get_assessment(request, pk, "assessment.manage_modules")
    form = ModulesForm(request.POST)
    form.is_valid()
    try:
        sheets.assessment_modules_set(assessment=assessment, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Modul tahap presentasi dan validasi lapangan disimpan."))
    return redirect("assessment:detail", assessment.pk)


# Presentation --------------------------------------------------------------------------------


def _sheet_kinds(user, assessment) -> list[str]:
    kinds = []
    if (
        user.has_perm("assessment.record_panel_result", assessment)
        and not assessment.presentation_sheets.filter(kind=PresentationSheet.Kind.OFFICIAL).exists()
    ):
        kinds.append(PresentationSheet.Kind.OFFICIAL)
    if user.has_perm("assessment.score_rehearsal", assessment):
        kinds.append(PresentationSheet.Kind.REHEARSAL)
    return kinds


@access.roles(*READING_ROLES)
def presentation(request, pk):
    """The sheets of the year and, for the admin and reviewers, a new one."""
    assessment = get_assessment(request, pk, "assessment.view_presentation")
    if not assessment.presentation_enabled:
        return redirect("assessment:detail", assessment.pk)
    chosen = sheets.aspects_for(assessment.year)
    kinds = _sheet_kinds(request.user, assessment)
    form = PresentationSheetForm(request.POST or None, aspects=chosen.aspects, kinds=kinds) if kinds else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                sheet = sheets.presentation_sheet_create(
                    assessment=assessment, actor=request.user, kind=data["kind"], held_on=data["held_on"],
                    scorer=data["scorer"], notes=data["notes"], scores=form.scores(),
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Lembar nilai disimpan: nilai tertimbang %(total)s.") % {"total": num(sheet.total, 2)}
                )
                return redirect("assessment:presentation", assessment.pk)
    records = list(assessment.presentation_sheets.select_related("recorded_by").prefetch_related("scores"))
    context = {
        "assessment": assessment, "aspects": chosen, "form": form, "tab": "presentation",
        "official": next((sheet for sheet in records if sheet.is_official), None),
        "rehearsals": [sheet for sheet in records if not sheet.is_official],
    }  # fmt: skip
    return render(request, "assessment/presentation.html", context, status=400 if form and form.errors else 200)


@access.roles(*READING_ROLES)
def presentation_sheet(request, pk):
    """One sheet, its scores and history; corrected by whoever may change it."""
    queryset = PresentationSheet.objects.filter(assessment__region=request.region).select_related(
        "assessment__framework", "assessment__region", "recorded_by"
    )
    sheet = get_for_user(request.user, queryset, "assessment.view_presentation", pk=pk)
    scores = list(sheet.scores.all())
    can_change = request.user.has_perm("assessment.change_presentation_sheet", sheet)
    initial = {"held_on": sheet.held_on, "scorer": sheet.scorer, "notes": sheet.notes}
    initial.update({f"score_{score.code}": score.score for score in scores})
    form = PresentationSheetForm(request.POST or None, aspects=scores, initial=initial) if can_change else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                sheets.presentation_sheet_update(
                    sheet=sheet, actor=request.user, held_on=data["held_on"], scorer=data["scorer"],
                    notes=data["notes"], scores=form.scores(),
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Lembar nilai diperbarui."))
                return redirect("assessment:presentation-sheet", sheet.pk)
    events = sheet.events.select_related("actor").order_by("-created_at", "-id")
    for event in events:
        event.action_label = SHEET_EVENT_LABELS.get(event.action, event.action)
    context = {
        "assessment": sheet.assessment, "sheet": sheet, "scores": scores, "form": form, "events": events,
        "tab": "presentation",
    }  # fmt: skip
    return render(request, "assessment/presentation_sheet.html", context, status=400 if form and form.errors else 200)


# Field check ---------------------------------------------------------------------------------


@access.roles(*READING_ROLES)
def field_checks(request, pk):
    """The presented innovations and whether each was found on the ground."""
    assessment = get_assessment(request, pk, "assessment.view_field_checks")
    if not assessment.field_check_enabled:
        return redirect("assessment:detail", assessment.pk)
    checks = (
        FieldCheck.objects.filter(entry__assessment=assessment)
        .select_related("entry__innovation__unit", "checked_by")
        .annotate(photo_count=Count("photos"))
    )
    can_record = request.user.has_perm("assessment.record_field_check", assessment)
    candidates = (
        assessment.entries.filter(is_eligible=True, field_check__isnull=True)
        .select_related("innovation__unit")
        .order_by("innovation__name")
    )
    form = FieldCheckAddForm(request.POST or None, candidates=candidates) if can_record else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                added = sheets.field_checks_add(
                    assessment=assessment, entries=form.cleaned_data["entries"], actor=request.user
                )
            except ValidationError as error:
                report(request, error)
            else:
                messages.success(request, _("%(count)s inovasi masuk daftar periksa.") % {"count": added})
            return redirect("assessment:field-checks", assessment.pk)
    context = {"assessment": assessment, "checks": checks, "form": form, "tab": "field_check"}
    return render(request, "assessment/field_checks.html", context, status=400 if form and form.errors else 200)


def _get_check(request, pk, perm="assessment.view_field_check") -> FieldCheck:
    queryset = FieldCheck.objects.filter(entry__assessment__region=request.region).select_related(
        "entry__assessment__framework", "entry__assessment__region", "entry__innovation__unit", "checked_by"
    )
    return get_for_user(request.user, queryset, perm, pk=pk)


def _check_page(request, check, *, result_form=None, photo_form=None, status=200):
    user = request.user
    can_record = user.has_perm("assessment.record_field_check", check)
    pending = check.status == FieldCheck.Status.PENDING
    if can_record and pending and result_form is None:
        result_form = FieldCheckResultForm(initial={"checked_on": timezone.localdate()})
    if can_record and photo_form is None:
        photo_form = FieldCheckPhotoForm(upload_owner=user)
    events = FIELD_CHECK.describe(
        check.events.select_related("actor").order_by("-created_at", "-id"), extra_labels=CHECK_EVENT_LABELS
    )
    context = {
        "assessment": check.assessment, "check": check, "photos": check.photos.order_by("uploaded_at"),
        "result_form": result_form if pending else None, "photo_form": photo_form if can_record else None,
        "transitions": [t for t in FIELD_CHECK.available(user, check) if t.action == "recheck"],
        "events": events, "tab": "field_check",
    }  # fmt: skip
    return render(request, "assessment/field_check.html", context, status=status)


@access.roles(*WORKING_ROLES)
def field_check(request, pk):
    """One innovation's check; reviewers record what they found."""
    check = _get_check(request, pk)
    if request.method != "POST":
        return _check_page(request, check)
    if not request.user.has_perm("assessment.record_field_check", check):
        raise PermissionDenied
    form = FieldCheckResultForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sheets.field_check_record(
                check=check, actor=request.user, found=data["found"], notes=data["notes"], checked_on=data["checked_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except TransitionNotAllowed as error:
            report(request, error)
            return redirect("assessment:field-check", check.pk)
        else:
            messages.success(
                request, _("Hasil validasi lapangan disimpan: %(status)s.") % {"status": check.get_status_display()}
            )
            return redirect("assessment:field-check", check.pk)
    return _check_page(request, check, result_form=form, status=400)


@require_POST
@access.roles(*REVIEWERS)
def field_check_photo(request, pk):
    check = _get_check(request, pk, "assessment.record_field_check")
    form = FieldCheckPhotoForm(request.POST, request.FILES, upload_owner=request.user)
    if form.is_valid():
        try:
            sheets.field_check_photo_add(
                check=check, actor=request.user, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Foto ditambahkan."))
            return redirect("assessment:field-check", check.pk)
    return _check_page(request, check, photo_form=form, status=400)


@require_POST
@access.roles(*REVIEWERS)
def field_check_transition(request, pk):
    check = _get_check(request, pk, "assessment.record_field_check")
    try:
        sheets.field_check_transition(
            check=check, action=request.POST.get("action", ""), actor=request.user, note=request.POST.get("note", "")
        )
    except (ValidationError, TransitionNotAllowed, PermissionDenied) as error:
        report(request, error)
    else:
        messages.success(request, _("Status: %(status)s.") % {"status": check.get_status_display()})
    return redirect("assessment:field-check", check.pk)

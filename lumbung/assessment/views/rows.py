"""One indicator row: its answer, its evidence (uploaded here or taken from the library), the
verifier's verdict and its history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lumbung.core.access import access
from lumbung.core.text import parse_id
from lumbung.core.workflow import TransitionNotAllowed

from .. import evidence as evidence_library
from .. import services, workstation
from ..concurrency import StaleRowError
from ..forms import AnswerForm, VerdictForm, row_document_form
from ..models import AWAITING_VERDICT, Answer, Document, EvidenceLink, RowStatus
from ..workflows import ROW_BUTTON_ACTIONS, row_machine
from .common import WORKING_ROLES, announce_stored, document_fields, get_row, report

ROW_EVENT_LABELS = {
    "attach": gettext_lazy("Eviden dilampirkan"),
    "detach": gettext_lazy("Eviden dilepas"),
    "replace_evidence": gettext_lazy("Eviden diganti versi baru"),
    "assign_unit": gettext_lazy("Penanggung jawab ditetapkan"),
}


def _row_url(row):
    return redirect("assessment:row-detail", row.scope, row.pk)


def _links(row):
    return row.evidence_links.select_related("document__uploaded_by", "attached_by").order_by("attached_at", "id")


def _library_choices(request, row):
    """Current library documents the row's rule accepts and that are not attached yet."""
    attached = row.evidence_links.values("document")
    documents = (
        Document.objects.visible_to(request.user, request.region)
        .current()
        .exclude(pk__in=attached)
        .select_related("replaced_by")
        .order_by("-year", "title")
    )
    return [
        document for document in documents[:300] if not evidence_library.evidence_problem(document=document, row=row)
    ]


@access.roles(*WORKING_ROLES)
def row_detail(request, scope, pk):
    row = get_row(request, scope, pk)
    user = request.user
    can_edit = user.has_perm("assessment.edit_row", row)
    answer_form = AnswerForm(request.POST or None, row=row) if can_edit else None
    if request.method == "POST":
        if answer_form is None:
            raise PermissionDenied
        if answer_form.is_valid():
            data = answer_form.cleaned_data
            try:
                services.answer_set(
                    row=row,
                    actor=user,
                    level=data.get("level"),
                    measured_value=data.get("measured_value"),
                    basis=data.get("basis"),
                    note=data.get("note", ""),
                    seen=data.get("seen") or None,
                )
            except (ValidationError, TransitionNotAllowed, PermissionDenied) as error:
                _form_errors(answer_form, error, request)
                if isinstance(error, StaleRowError):
                    # What was typed stays; saving it again now overrides the other change on purpose.
                    answer_form.data = answer_form.data.copy()
                    answer_form.data["seen"] = error.seen
            else:
                messages.success(request, _("Jawaban disimpan."))
                return _row_url(row)
    return render(request, "assessment/row_detail.html", _context(request, row, answer_form=answer_form))


def _form_errors(form, error, request) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        report(request, error)


def _context(request, row, *, answer_form=None, upload_form=None, verdict_form=None) -> dict:
    user = request.user
    can_edit = user.has_perm("assessment.edit_row", row)
    machine = row_machine(row)
    available = [t for t in machine.available(user, row) if t.action in ROW_BUTTON_ACTIONS]
    if upload_form is None and can_edit:
        upload_form = row_document_form(row, upload_owner=user)
    events = machine.describe(
        row.events.select_related("actor").order_by("-created_at", "-id"), extra_labels=ROW_EVENT_LABELS
    )
    evidence = workstation.row_evidence(row)
    return {
        "row": row,
        "assessment": row.assessment,
        # The pre-check's findings: the operator reads them before submitting the claim.
        "evidence": evidence,
        "pending": any(item.document.precheck_status == "pending" for item in evidence),
        "precheck_warnings": sum(len(item.warnings) for item in evidence),
        "entry": row.entry if isinstance(row, Answer) else None,
        "indicator": row.indicator,
        "links": list(_links(row)),
        "answer_form": answer_form,
        "upload_form": upload_form,
        "verdict_form": verdict_form or VerdictForm(),
        "library": _library_choices(request, row) if can_edit else [],
        "can_edit": can_edit,
        "transitions": available,
        "verdicts": [t for t in available if t.action in ("accept", "reject")],
        "others": [t for t in available if t.action not in ("accept", "reject")],
        "events": events,
        "allowed_years": sorted(evidence_library.allowed_evidence_years(row)),
        "tab": "spd" if row.scope == "spd" else "entries",
        "rejected": row.status == RowStatus.REJECTED,
        # Why a reviewer sees no verdict buttons on a row awaiting one.
        "own_work": services.OWN_WORK if row.status in AWAITING_VERDICT and services.is_own_work(user, row) else "",
    }


@require_POST
@access.roles(*WORKING_ROLES)
def row_transition(request, scope, pk):
    row = get_row(request, scope, pk)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _row_url(row)
    data = form.cleaned_data
    try:
        services.row_transition(
            row=row, action=data["action"], actor=request.user, note=data["note"], reason=data["reason"]
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "own_work":
            report(request, error)
            return _row_url(row)
        verdict = VerdictForm(request.POST)
        verdict.is_valid()
        _form_errors(verdict, error, request)
        return render(request, "assessment/row_detail.html", _context(request, row, verdict_form=verdict), status=400)
    except (TransitionNotAllowed, PermissionDenied) as error:
        report(request, error)
    else:
        messages.success(request, _("Status baris: %(status)s.") % {"status": row.get_status_display()})
    return _row_url(row)


@require_POST
@access.roles(*WORKING_ROLES)
def row_upload(request, scope, pk):
    """Upload a new document to the library and attach it to this row, both or neither."""
    row = get_row(request, scope, pk, "assessment.edit_row")
    form = row_document_form(row, request.POST, request.FILES, upload_owner=request.user)
    if form.is_valid():
        try:
            document = evidence_library.evidence_upload(row=row, actor=request.user, **document_fields(form))
        except ValidationError as error:
            _form_errors(form, error, request)
        else:
            announce_stored(request, document, _("Eviden diunggah dan dilampirkan."))
            return _row_url(row)
    return render(request, "assessment/row_detail.html", _context(request, row, upload_form=form), status=400)


@require_POST
@access.roles(*WORKING_ROLES)
def row_attach(request, scope, pk):
    """Attach documents chosen from the library to this row."""
    row = get_row(request, scope, pk, "assessment.edit_row")
    ids = [pk for value in request.POST.getlist("documents") if (pk := parse_id(value))]
    documents = Document.objects.visible_to(request.user, request.region).filter(pk__in=ids)
    try:
        created = evidence_library.evidence_link_many(documents=documents, rows=[row], actor=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("%(count)s dokumen dilampirkan.") % {"count": created})
    return _row_url(row)


@require_POST
@access.roles(*WORKING_ROLES)
def evidence_detach(request, pk):
    link = EvidenceLink.objects.filter(pk=pk).select_related("document").first()
    if link is None:
        raise Http404
    scope = "inovasi" if link.answer_id else "spd"
    row = get_row(request, scope, link.answer_id or link.region_answer_id, "assessment.edit_row")
    setattr(link, "answer" if link.answer_id else "region_answer", row)
    try:
        evidence_library.evidence_detach(link=link, actor=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Eviden dilepas dari baris ini; dokumennya tetap di pustaka."))
    return _row_url(row)

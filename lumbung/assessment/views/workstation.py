"""The verifier's workstation: the queue on one side, the row being decided with its evidence
(pages shown in the page) and pre-check findings, the decision, and the next row at once."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_htmx.http import push_url, replace_url, reswap

from lumbung.core.access import access
from lumbung.core.roles import Role
from lumbung.core.text import parse_id
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.organisation.models import Unit

from .. import evidence as evidence_library
from .. import previews, services, workstation
from ..forms import VerdictForm
from ..models import AWAITING_VERDICT, PrecheckStatus, RejectReason
from ..workflows import row_machine
from .common import WORKING_ROLES, get_assessment, get_document, get_row, report

DESK_ROLES = (Role.ADMIN, Role.VERIFIER)


def _units(assessment):
    """The units that have entries: the unit filter's choices (the chosen one is read by _filters)."""
    return Unit.objects.filter(pk__in=assessment.entries.values("innovation__unit")).order_by("name")


def _filters(request, assessment, units) -> workstation.DeskFilter:
    data = request.POST if request.method == "POST" else request.GET
    unit_id, indicator_id, age = parse_id(data.get("unit")), parse_id(data.get("indikator")), parse_id(data.get("umur"))
    indicator = assessment.framework.indicators.filter(pk=indicator_id).first() if indicator_id else None
    return workstation.DeskFilter(
        unit=units.filter(pk=unit_id).first() if unit_id else None,
        indicator=indicator,
        innovation=data.get("inovasi", "").strip()[:100],
        age=age if age in workstation.AGES else 0,
    )


def _desk_url(assessment, filters, position: int = 0, anchor: str = "", view: str = "assessment:workstation") -> str:
    query = {**filters.query(), **({"pos": str(position)} if position else {})}
    url = reverse(view, args=[assessment.pk])
    return f"{url}?{urlencode(query)}{anchor}" if query else f"{url}{anchor}"


def _desk_context(request, assessment, units, filters, position, verdict_form=None) -> dict:
    queue = workstation.desk_queue(assessment, filters)
    total = queue.count()
    position = min(max(position, 0), max(total - 1, 0))
    start = position // workstation.SIDE_PAGE * workstation.SIDE_PAGE
    side = queue[start : start + workstation.SIDE_PAGE]
    for index, row in enumerate(side, start):
        row.position = index
    current = side[position - start] if side else None
    context = {
        "assessment": assessment, "tab": "matrix", "units": units, "filters": filters,
        "indicators": assessment.framework.indicators.order_by("order"), "ages": workstation.AGES,
        "side": side, "total": total, "position": position, "current": current,
        "side_start": start, "side_previous": start - workstation.SIDE_PAGE if start else None,
        "side_next": start + workstation.SIDE_PAGE if start + workstation.SIDE_PAGE < total else None,
        "reasons": list(enumerate(RejectReason.choices, 1)),
        "verdict_form": verdict_form or VerdictForm(),
        "filter_query": filters.query(), "bulk_url": _desk_url(assessment, filters, view="assessment:workstation-bulk"),
        # The row links carry the filter from it, not from the request: an htmx decision is a POST.
        "desk_path": reverse("assessment:workstation", args=[assessment.pk]), "desk_query": _query_dict(filters),
    }  # fmt: skip
    if current is not None:
        context.update(_row_context(request, current))
    return context


def _query_dict(filters) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(filters.query())
    return query


def _row_context(request, row) -> dict:
    user = request.user
    machine = row_machine(row)
    return {
        "evidence": workstation.row_evidence(row),
        "allowed_years": sorted(evidence_library.allowed_evidence_years(row)),
        "can_judge": row.status in AWAITING_VERDICT and machine.may(user, row, "accept"),
        "own_work": services.OWN_WORK if services.is_own_work(user, row) else "",
        "claim_events": list(
            row.events.filter(action__in=("claim", "revise", "resubmit", "amend"))
            .select_related("actor")
            .order_by("-created_at", "-id")[:3]
        ),
    }


@access.roles(*DESK_ROLES)
def desk(request, pk):
    """The desk at a row of the filter. Skip, previous and the side list's links ask for it by htmx
    (_desk_moved: the desk alone); the same address without htmx, or reloaded, is the whole page."""
    assessment = get_assessment(request, pk)
    units = _units(assessment)
    filters = _filters(request, assessment, units)
    position = parse_id(request.GET.get("pos")) or 0
    if _swaps_desk(request):
        response = _desk_moved(request, assessment, units, filters, position)
    else:
        context = _desk_context(request, assessment, units, filters, position)
        response = render(request, "assessment/workstation.html", context)
    # One address, two answers: a browser cache must not give the desk alone to a page load.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _swaps_desk(request) -> bool:
    """An htmx link of the desk asks for it. htmx restoring a page from history (or anything that
    targets another element) gets the whole page, as a reload would."""
    return bool(request.htmx) and not request.htmx.history_restore_request and request.htmx.target == "desk"


def _desk_moved(request, assessment, units, filters, position):
    """The desk at another row, for the live region the row's place in the queue (the focus goes
    to the row's title). The address is the row shown: pushed, so Back returns to the row before;
    replaced when it is the address already shown (the row chosen again), which adds no Back step."""
    context = _desk_context(request, assessment, units, filters, position)
    context.update(swapped=True, done="", problems=[], kept="", focus_row=True)
    if context["current"] is not None:
        context["shown"] = _("Baris %(n)s dari %(total)s.") % {"n": context["position"] + 1, "total": context["total"]}
    response = render(request, "assessment/_workstation_swap.html", context)
    url = _desk_url(assessment, filters, context["position"])
    if request.htmx.current_url_abs_path == url:
        return replace_url(response, url)
    return push_url(response, url)


@require_POST
@access.roles(*DESK_ROLES)
def desk_decide(request, pk):
    """Sesuai or tidak sesuai for the row shown; then the next row of the same filter opens (it
    takes the decided row's place in the queue, so the position stays). Posted by htmx, the answer
    is the desk itself (_desk_swap); posted by a plain form, a redirect to the desk as before."""
    assessment = get_assessment(request, pk)
    units = _units(assessment)
    filters = _filters(request, assessment, units)
    position = parse_id(request.POST.get("pos")) or 0
    scope, _sep, row_id = request.POST.get("row", "").partition("-")
    row = get_row(request, scope, parse_id(row_id) or 0)
    if row.assessment.pk != assessment.pk:
        raise Http404
    swap = {"request": request, "assessment": assessment, "units": units, "filters": filters, "position": position}
    form = VerdictForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in ("accept", "reject"):
        if request.htmx:
            return _desk_swap(**swap, row=row, form=form, problems=[_("Pilih Sesuai atau Tidak sesuai.")])
        return redirect(_desk_url(assessment, filters, position))
    data = form.cleaned_data
    try:
        services.row_transition(
            row=row, action=data["action"], actor=request.user, note=data["note"], reason=data["reason"]
        )
    except (ValidationError, TransitionNotAllowed, PermissionDenied) as error:
        return _refused(error, swap, row=row, form=form)
    done = _("%(row)s: %(status)s.") % {"row": _label(row), "status": row.get_status_display()}
    if request.htmx:
        return _desk_swap(**swap, row=row, done=done)
    messages.success(request, done)
    return redirect(_desk_url(assessment, filters, position, "#keputusan"))


def _refused(error, swap: dict, *, row, form):
    """A decision the services refused: the form's errors on the same row (status 400 without
    htmx, as before), or the reason in words on the desk as it is now."""
    request, assessment, filters, position = swap["request"], swap["assessment"], swap["filters"], swap["position"]
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        if request.htmx:
            return _desk_swap(**swap, row=row, form=form, problems=[CHECK_FORM])
        context = _desk_context(request, assessment, swap["units"], filters, position, verdict_form=form)
        return render(request, "assessment/workstation.html", context, status=400)
    if request.htmx:
        return _desk_swap(**swap, row=row, form=form, problems=_refusal(error, row))
    report(request, error)
    return redirect(_desk_url(assessment, filters, position, "#keputusan"))


CHECK_FORM = _lazy("Keputusan belum disimpan: lengkapi isian yang ditandai pada formulir keputusan.")


def _label(row) -> str:
    return row.indicator.code if row.scope == "spd" else f"{row.indicator.code} · {row.entry.innovation.name}"


def _refusal(error, row) -> list[str]:
    """The refusal in words (report's, but the desk already shows the queue as it is now: no
    "reload the page")."""
    if isinstance(error, ValidationError):
        return error.messages
    if isinstance(error, PermissionDenied):
        return [_("Anda tidak berwenang melakukan tindakan ini.")]
    row.refresh_from_db(fields=["status"])
    message = _(
        "%(row)s baru saja diubah orang lain sebelum keputusan Anda tiba, jadi keputusan Anda tidak disimpan. "
        "Statusnya kini: %(status)s."
    )
    return [message % {"row": _label(row), "status": row.get_status_display()}]


def _desk_swap(*, request, assessment, units, filters, position, row, form=None, done="", problems=()):
    """The desk after an htmx decision, with the confirmation or the refusal for the live region.

    A refused decision keeps what the verifier typed: in the form when the same row is still
    shown, else (the row left the queue meanwhile) in the message, never in another row's form.
    The address follows the row shown, so a reload shows the same row: a new history entry after
    a decision that moved it, else the same entry replaced."""
    context = _desk_context(request, assessment, units, filters, position)
    current = context["current"]
    same_row = current is not None and (current.scope, current.pk) == (row.scope, row.pk)
    context.update(swapped=True, done=done, problems=list(problems), kept="")
    if form is not None and same_row:
        context["verdict_form"] = form
    elif form is not None:
        context["kept"] = _kept(form)
    in_error = next((name for name in ("reason", "note") if name in form.errors), None) if same_row and form else None
    if in_error:
        form.fields[in_error].widget.attrs["autofocus"] = True
    context["focus_row"] = not in_error  # else the new row's title takes the focus the pressed button had
    response = render(request, "assessment/_workstation_swap.html", context)
    url = _desk_url(assessment, filters, context["position"])
    if in_error:
        # The field in error takes the focus; scrolling up to the status would hide it.
        reswap(response, "outerHTML")
    # The address usually stays the same (the next row takes the decided one's place): pushing it
    # again would only add Back steps that show the same row.
    if done and request.htmx.current_url_abs_path != url:
        return push_url(response, url)
    return replace_url(response, url)


def _kept(form) -> str:
    """What the verifier typed for a row they can no longer decide, to copy into another."""
    reason = dict(RejectReason.choices).get(form.data.get("reason", ""), "")
    note = form.data.get("note", "").strip()
    return " — ".join(part for part in (str(reason), note) if part)


@access.roles(*DESK_ROLES)
def desk_bulk(request, pk):
    """Accept at once the rows of the current filter whose evidence passed the pre-check: a
    confirmation page listing them (GET), then one acceptance event per row (POST)."""
    assessment = get_assessment(request, pk)
    units = _units(assessment)
    filters = _filters(request, assessment, units)
    candidates = workstation.bulk_candidates(assessment, filters, request.user)
    if request.method == "POST":
        rows = workstation.chosen_rows(candidates, request.POST.getlist("rows"))
        if not rows:
            messages.error(request, _("Pilih minimal satu baris yang akan dinyatakan sesuai."))
        else:
            accepted, problems = workstation.rows_accept_checked(rows=rows, actor=request.user)
            messages.success(request, _("%(count)s baris dinyatakan sesuai.") % {"count": accepted})
            for problem in problems:
                messages.warning(request, problem)
            return redirect(_desk_url(assessment, filters))
    context = {
        "assessment": assessment, "tab": "matrix", "filters": filters, "candidates": candidates,
        "limit": workstation.BULK_LIMIT, "back": _desk_url(assessment, filters), "filter_query": filters.query(),
    }  # fmt: skip
    return render(request, "assessment/workstation_bulk.html", context)


@access.roles(*WORKING_ROLES)
def document_page(request, pk, number):
    """A page of an evidence document as a picture made by this server (to read in the page)."""
    document = get_document(request, pk)
    data = previews.page_image(document, number)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="image/png")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@access.roles(*WORKING_ROLES)
def row_precheck(request, scope, pk):
    """htmx: the pre-check findings of the row's evidence; polled while a check is running."""
    row = get_row(request, scope, pk)
    evidence = workstation.row_evidence(row)
    pending = any(item.document.precheck_status == PrecheckStatus.PENDING for item in evidence)
    return render(request, "assessment/_precheck_row.html", {"row": row, "evidence": evidence, "pending": pending})

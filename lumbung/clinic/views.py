import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, F, Min, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.accounts.models import User
from lumbung.actions.models import Action
from lumbung.actions.workflows import ACTION
from lumbung.core.access import access, get_for_user
from lumbung.core.files import private_file_response
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.core.spreadsheets import xlsx_response
from lumbung.core.text import parse_id
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.knowledge.models import Article

from . import services
from .exports import export_headers, export_row
from .forms import ActionItemForm, CaseRequestForm, MessageForm, SessionForm, TriageForm
from .metrics import CaseTimes, waiting_figures
from .models import Case, Message, Session
from .workflows import CASE, CASE_FORM_ACTIONS, EXTRA_ACTION_LABELS

OPEN_ACTIONS = Q(actions__status__in=Action.PENDING)


def _case(request, pk, perm="clinic.view_case") -> Case:
    cases = Case.objects.select_related("region", "requester", "mentor", "unit", "innovation__unit")
    return get_for_user(request.user, cases, perm, pk=pk)


def _with_action_counts(cases):
    today = timezone.localdate()
    return cases.annotate(
        open_actions=Count("actions", filter=OPEN_ACTIONS, distinct=True),
        overdue_actions=Count("actions", filter=OPEN_ACTIONS & Q(actions__due_date__lt=today), distinct=True),
    )


def _workflow_error(request, error) -> None:
    if isinstance(error, TransitionNotAllowed):
        messages.error(request, _("Status kasus sudah berubah. Muat ulang halaman lalu coba lagi."))
    elif isinstance(error, PermissionDenied):
        messages.error(request, _("Anda tidak berwenang mengambil tindakan ini."))
    else:
        messages.error(request, " ".join(error.messages))


@access.roles(*REGION_ROLES)
def home(request):
    """The requester's page: their cases and the way to ask for help."""
    cases = _with_action_counts(
        Case.objects.requested_by(request.user, request.region).select_related("mentor", "innovation")
    )
    return render(request, "clinic/home.html", {"cases": cases})


@access.roles(*REGION_ROLES)
def case_create(request):
    form = CaseRequestForm(request.POST or None, user=request.user, region=request.region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_request(
                region=request.region,
                requester=request.user,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                unit=data.get("unit"),
                innovation=data.get("innovation"),
                indicator_code=data["indicator_code"],
                preferred_mode=data["preferred_mode"],
                contact_phone=data["contact_phone"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Permintaan terkirim dengan nomor %(ref)s. Admin klinik akan segera menindaklanjuti.")
                % {"ref": case.reference},
            )
            return redirect("clinic:case-detail", case.pk)
    return render(request, "clinic/case_form.html", {"form": form})


LIST_FILTERS = {
    "triase": Q(status=Case.Status.NEW),
    "aktif": Q(status__in=Case.ACTIVE_STATES),
    "selesai": Q(status__in=[Case.Status.RESOLVED, Case.Status.CLOSED, Case.Status.DECLINED]),
    "semua": Q(),
}


@dataclass(frozen=True)
class QueueFilter:
    show: str
    category: str
    mentor: str
    query: str

    @classmethod
    def from_request(cls, request) -> "QueueFilter":
        show = request.GET.get("tampil", "triase")
        return cls(
            show=show if show in LIST_FILTERS else "triase",
            category=request.GET.get("kategori", ""),
            mentor=request.GET.get("mentor", ""),
            query=request.GET.get("q", "").strip(),
        )

    def apply(self, cases):
        cases = cases.filter(LIST_FILTERS[self.show])
        if self.category in Case.Category.values:
            cases = cases.filter(category=self.category)
        if mentor_id := parse_id(self.mentor):
            cases = cases.filter(mentor_id=mentor_id)
        if self.query:
            cases = cases.filter(Q(title__icontains=self.query) | Q(requester__full_name__icontains=self.query))
        return cases


@access.roles(Role.ADMIN)
def case_list(request):
    """The admin's queue, new requests first by default."""
    chosen = QueueFilter.from_request(request)
    cases = chosen.apply(Case.objects.visible_to(request.user, request.region))
    cases = _with_action_counts(cases.select_related("requester", "mentor", "unit")).order_by("-created_at")
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    counts = Case.objects.filter(region=request.region).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in LIST_FILTERS.items()}
    )
    context = {
        "page_obj": page,
        "show": chosen.show,
        "counts": counts,
        "categories": Case.Category.choices,
        "category": chosen.category,
        "mentors": _mentors(request.region),
        "mentor": chosen.mentor,
        "query": chosen.query,
    }
    return render(request, "clinic/case_list.html", context)


@access.roles(Role.ADMIN)
def case_export(request):
    """The queue as filtered on screen, as an Excel sheet with the waiting times."""
    cases = QueueFilter.from_request(request).apply(Case.objects.visible_to(request.user, request.region))
    cases = _with_action_counts(
        cases.with_times().select_related("requester", "mentor", "unit", "innovation").order_by("created_at")
    )
    title = _("Kasus klinik inovasi %(region)s per %(date)s") % {
        "region": request.region.name,
        "date": date_format(timezone.localdate(), "DATE_FORMAT"),
    }
    sheet = (_("Kasus klinik"), export_headers(), [export_row(case) for case in cases])
    return xlsx_response(f"kasus-klinik-{timezone.localdate():%Y%m%d}.xlsx", [sheet], title=title)


def _mentors(region):
    return (
        User.objects.filter(
            role_assignments__region=region, role_assignments__role=Role.MENTOR, role_assignments__is_active=True
        )
        .distinct()
        .order_by("full_name")
    )


def _detail_context(request, case: Case, message_form=None) -> dict:
    user = request.user
    actions = list(case.actions.select_related("owner", "innovation", "planned_action"))
    for item in actions:
        item.transitions = ACTION.available(user, item)
    events = CASE.describe(case.events.select_related("actor"), EXTRA_ACTION_LABELS)
    related = Article.objects.none()
    if case.indicator_code:
        related = Article.objects.visible_to(user, case.region).filter(indicator_code=case.indicator_code)[:5]
    current_maturity = None
    if case.innovation_id and case.status in Case.ACTIVE_STATES:
        current_maturity = services.innovation_maturity_now(
            case.innovation, case.maturity_year or timezone.localdate().year
        )
    return {
        "case": case,
        "events": events,
        "messages_list": case.messages.select_related("author"),
        "sessions": case.sessions.all(),
        "actions": actions,
        "transitions": [t for t in CASE.available(user, case) if t.action not in CASE_FORM_ACTIONS],
        "message_form": message_form or MessageForm(upload_owner=user),
        "related_articles": related,
        "current_maturity": current_maturity,
        "now": timezone.now(),
        "today": timezone.localdate(),
    }


@access.authenticated
def case_detail(request, pk):
    case = _case(request, pk)
    return render(request, "clinic/case_detail.html", _detail_context(request, case))


@require_POST
@access.authenticated
def case_message(request, pk):
    case = _case(request, pk)
    if not request.user.has_perm("clinic.reply_case", case):
        messages.error(request, _("Kasus ini sudah ditutup; pesan baru tidak dapat dikirim."))
        return redirect("clinic:case-detail", case.pk)
    form = MessageForm(request.POST, request.FILES, upload_owner=request.user)
    if form.is_valid():
        services.case_reply(
            case=case, author=request.user, body=form.cleaned_data["body"], upload=form.cleaned_data["file"]
        )
        messages.success(request, _("Pesan terkirim."))
        return redirect(f"{case.get_absolute_url()}#percakapan")
    return render(request, "clinic/case_detail.html", _detail_context(request, case, form), status=400)


@require_POST
@access.authenticated
def case_action(request, pk):
    case = _case(request, pk)
    try:
        services.case_transition(
            case=case, action=request.POST.get("action", ""), actor=request.user, note=request.POST.get("note", "")
        )
    except (TransitionNotAllowed, PermissionDenied, ValidationError) as error:
        _workflow_error(request, error)
    else:
        messages.success(request, _("Status kasus: %(status)s.") % {"status": case.get_status_display()})
    return redirect("clinic:case-detail", case.pk)


@access.roles(Role.ADMIN)
def case_triage(request, pk):
    case = _case(request, pk, "clinic.triage_case")
    if not case.is_open:
        raise Http404
    initial = {"category": case.category, "priority": case.priority, "mentor": case.mentor}
    form = TriageForm(request.POST or None, region=case.region, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_triage(
                case=case,
                actor=request.user,
                category=data["category"],
                priority=data["priority"],
                mentor=data["mentor"],
                note=data["note"],
            )
        except (TransitionNotAllowed, PermissionDenied) as error:
            _workflow_error(request, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Kasus diserahkan kepada %(mentor)s.") % {"mentor": data["mentor"].full_name})
            return redirect("clinic:case-detail", case.pk)
    return render(request, "clinic/triage_form.html", {"case": case, "form": form})


@access.authenticated
def session_create(request, pk):
    case = _case(request, pk, "clinic.plan_case")
    form = SessionForm(request.POST or None, initial={"mode": _session_mode(case)})
    if request.method == "POST" and form.is_valid():
        services.session_save(case=case, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Sesi disimpan; pemohon mendapat pemberitahuan."))
        return redirect("clinic:case-detail", case.pk)
    return render(request, "clinic/session_form.html", {"case": case, "form": form})


def _session_mode(case: Case) -> str:
    return case.preferred_mode if case.preferred_mode != Case.Mode.ANY else Session.Mode.ONLINE


@access.authenticated
def session_edit(request, pk):
    session = get_for_user(
        request.user, Session.objects.select_related("case__region", "case__mentor"), "clinic.change_session", pk=pk
    )
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        services.session_save(case=session.case, actor=request.user, session=session, **form.cleaned_data)
        messages.success(request, _("Sesi diperbarui."))
        return redirect("clinic:case-detail", session.case_id)
    return render(request, "clinic/session_form.html", {"case": session.case, "form": form, "session": session})


@access.authenticated
def action_create(request, pk):
    case = _case(request, pk, "clinic.plan_case")
    form = ActionItemForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_item_create(case=case, actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tindak lanjut ditambahkan."))
            return redirect(f"{case.get_absolute_url()}#tindak-lanjut")
    return render(request, "clinic/action_form.html", {"case": case, "form": form})


@require_POST
@access.authenticated
def action_transition(request, pk):
    items = Action.objects.filter(region=request.region, case__isnull=False).select_related(
        "case__region", "case__mentor"
    )
    item = get_for_user(request.user, items, "actions.work_on_action", pk=pk)
    try:
        services.action_item_transition(
            item=item, action=request.POST.get("action", ""), actor=request.user, note=request.POST.get("note", "")
        )
    except (TransitionNotAllowed, PermissionDenied, ValidationError) as error:
        _workflow_error(request, error)
    return redirect(f"{item.case.get_absolute_url()}#tindak-lanjut")


@access.authenticated
def message_file(request, pk):
    message = get_for_user(request.user, Message.objects.select_related("case"), "clinic.view_message", pk=pk)
    if not message.file:
        raise Http404
    return private_file_response(message.file, message.original_name)


@access.roles(Role.MENTOR, Role.ADMIN)
def case_load(request):
    """A mentor's active cases; for the admin also every mentor's load."""
    region, now = request.region, timezone.now()
    mine = _with_action_counts(
        Case.objects.filter(region=region, mentor=request.user, status__in=Case.ACTIVE_STATES).select_related(
            "requester", "innovation"
        )
    ).annotate(next_session=Min("sessions__starts_at", filter=Q(sessions__starts_at__gte=now)))
    context = {
        "cases": mine.order_by(F("next_session").asc(nulls_last=True), "created_at"),
        "show_mentors": request.user.has_role(Role.ADMIN, region),
    }
    if context["show_mentors"]:
        context["mentors"] = _mentor_loads(region)
        context["unassigned"] = Case.objects.filter(region=region, status=Case.Status.NEW).count()
    return render(request, "clinic/case_load.html", context)


def _mentor_loads(region):
    in_region = Q(clinic_cases_mentored__region=region)
    active = in_region & Q(clinic_cases_mentored__status__in=Case.ACTIVE_STATES)
    today = timezone.localdate()
    return _mentors(region).annotate(
        active=Count("clinic_cases_mentored", filter=active, distinct=True),
        waiting=Count(
            "clinic_cases_mentored",
            filter=in_region & Q(clinic_cases_mentored__status=Case.Status.WAITING),
            distinct=True,
        ),
        overdue=Count(
            "clinic_cases_mentored__actions",
            filter=active
            & Q(clinic_cases_mentored__actions__status__in=Action.PENDING)
            & Q(clinic_cases_mentored__actions__due_date__lt=today),
            distinct=True,
        ),
        finished=Count(
            "clinic_cases_mentored",
            filter=in_region & Q(clinic_cases_mentored__status__in=[Case.Status.RESOLVED, Case.Status.CLOSED]),
            distinct=True,
        ),
    )


@access.roles(Role.ADMIN, Role.LEADER)
def statistics(request):
    """Throughput and waiting times over the last twelve months, with the maturity gained."""
    region = request.region
    end = timezone.localdate().replace(day=1)
    start = (end - dt.timedelta(days=335)).replace(day=1)
    rows = Case.objects.filter(region=region).with_times()
    times = [
        CaseTimes(*values)
        for values in rows.values_list("created_at", "triaged_at", "first_session_at", "resolved_at").order_by()
    ]
    overall, by_month = waiting_figures(times, start=start, end=end, tz=timezone.get_current_timezone())
    cases = Case.objects.filter(region=region)
    context = {
        "overall": overall,
        "by_month": by_month,
        "max_requested": max([m.figures.requested for m in by_month] + [1]),
        "by_status": _labelled(cases, "status", Case.Status),
        "by_category": _labelled(cases, "category", Case.Category),
        "maturity": cases.filter(maturity_before__isnull=False, maturity_after__isnull=False).aggregate(
            cases=Count("pk"), gain=Avg(F("maturity_after") - F("maturity_before"))
        ),
        "start": start,
        "end": end,
    }
    return render(request, "clinic/statistics.html", context)


def _labelled(cases, field: str, choices) -> list[tuple[str, str, int]]:
    counts = dict(cases.values_list(field).annotate(n=Count("pk")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in choices.choices]

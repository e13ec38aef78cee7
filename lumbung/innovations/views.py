from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user, require_perm
from lumbung.core.files import private_file_response, private_headers
from lumbung.core.pagecache import cached_page
from lumbung.core.pdf import render_pdf
from lumbung.core.roles import STAFF_ROLES, Role
from lumbung.core.spreadsheets import csv_streaming_response, xlsx_response
from lumbung.core.text import parse_id
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.organisation.models import Unit

from . import services
from .compliance import programme_compliance, with_last_reminders
from .exports import EXPORT_RELATIONS, innovation_export_start, innovation_rows, programme_sheets
from .forms import (
    NOTE_FOR_FIELD,
    REVIEWABLE,
    AttachmentForm,
    InnovationFilterForm,
    InnovationForm,
    LetterForm,
    ProgrammeForm,
    ReminderForm,
    ReturnForm,
    RunningForm,
    TeamMemberForm,
)
from .letters import Signatory, letter_targets, letters_pdf
from .models import Attachment, Innovation, Programme, TeamMember
from .similarity import similar
from .workflows import BUTTON_ACTIONS, CONTINUITY, REVIEW, history

CREATOR_ROLES = (Role.ADMIN, Role.OPERATOR, Role.INNOVATOR)
PROGRAMME_READERS = (Role.ADMIN, Role.VERIFIER, Role.LEADER)
PAGE_SIZE = 25
# Reminders listed under the compliance table (the latest first).
REMINDER_HISTORY = 30


def _detail_queryset(region):
    return (
        Innovation.objects.filter(region=region)
        .select_related("unit", "region", "theme", "main_affair", "replicates", "created_by")
        .prefetch_related("team__official", "team__user", "related_affairs", "attachments")
    )


def _innovation_for(request, pk, perm="innovations.view_innovation") -> Innovation:
    return get_for_user(request.user, _detail_queryset(request.region), perm, pk=pk)


def _units_for(user, region, current=None):
    """Units the user may register an innovation for (plus the innovation's `current` unit)."""
    units = Unit.objects.filter(region=region, is_active=True).order_by("path")
    if user.has_role(Role.ADMIN, region):
        return units
    allowed = Q(pk=current.pk) if current else Q(pk__in=[])
    for path in user.operator_unit_paths(region):
        allowed |= Q(path__startswith=path)
    if user.official_id:
        allowed |= Q(assignments__in=user.official.assignments.current())
    return units.filter(allowed).distinct()


def filtered_innovations(queryset, form: InnovationFilterForm):
    """Apply the list filters (used by the list, its exports, the showcase and open data)."""
    if not form.is_valid():
        return queryset.none() if form.errors else queryset
    data = form.cleaned_data
    queryset = queryset.search(data.get("q", ""))
    if data.get("unit"):
        queryset = queryset.filter(unit__path__startswith=data["unit"].path)
    simple = {"stage": "stage", "form": "form", "status": "status", "year": "created_at__year"}
    queryset = queryset.filter(**{lookup: data[key] for key, lookup in simple.items() if data.get(key)})
    if data.get("affair"):
        queryset = queryset.filter(Q(main_affair=data["affair"]) | Q(related_affairs=data["affair"])).distinct()
    if data.get("digital"):
        queryset = queryset.filter(is_digital=data["digital"] == "1")
    if data.get("running"):
        queryset = queryset.filter(is_running=data["running"] == "1")
    if data.get("programme"):
        report = programme_compliance(data["programme"], with_trend=False)
        queryset = queryset.filter(pk__in={i["id"] for row in report.rows for i in row.innovations})
    sort = data.get("sort")
    if not sort:
        # PostgreSQL ranks search hits; elsewhere the latest change comes first.
        sort = "-rank" if data.get("q") and connection.vendor == "postgresql" else "-updated_at"
    order = {"unit": ("unit__path", "name"), "stage": ("stage", "name")}.get(sort, (sort, "pk"))
    return queryset.order_by(*order)


def _list_queryset(request):
    form = InnovationFilterForm(request.GET or None, region=request.region)
    queryset = Innovation.objects.visible_to(request.user, request.region).select_related("unit", "main_affair")
    return form, filtered_innovations(queryset, form)


@access.roles(*STAFF_ROLES)
@cached_page("innovation-list")
def innovation_list(request):
    form, queryset = _list_queryset(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "may_create": request.user.has_any_role(CREATOR_ROLES, request.region)}
    return render(request, "innovations/list.html", context)


def _export_name(region, extension: str) -> str:
    return f"inovasi-{slugify(region.name)}-{timezone.localdate():%Y%m%d}.{extension}"


def _export(request, fmt: str):
    """Small exports are answered at once (CSV streamed); large ones are built by the worker and
    the user is taken to the job's page, which offers the file when it is ready."""
    _form, queryset = _list_queryset(request)
    filename = _export_name(request.region, fmt)
    if queryset.count() > settings.LUMBUNG_EXPORT_INLINE_MAX_ROWS:
        job = innovation_export_start(
            user=request.user, region=request.region, query=request.GET.urlencode(), fmt=fmt, filename=filename
        )
        return redirect("core:job-detail", job.pk)
    headers, rows = innovation_rows(queryset.prefetch_related(*EXPORT_RELATIONS))
    if fmt == "csv":
        return csv_streaming_response(filename, headers, rows)
    title = _("Daftar inovasi %(region)s") % {"region": request.region.name}
    return xlsx_response(filename, [(_("Inovasi"), headers, rows)], title=title)


@access.roles(*STAFF_ROLES)
def innovation_export_xlsx(request):
    return _export(request, "xlsx")


@access.roles(*STAFF_ROLES)
def innovation_export_csv(request):
    return _export(request, "csv")


def _field_notes_by_form_field(notes: dict) -> dict:
    return {field: notes[key] for field, key in NOTE_FOR_FIELD.items() if notes.get(key)}


def _render_form(request, form, innovation=None, status=200):
    returned = services.latest_return_notes(innovation) if innovation else services.ReturnNotes()
    notes = returned.fields
    context = {
        "form": form,
        "innovation": innovation,
        "design_fields": Innovation.DESIGN_FIELDS,
        "map_tiles": settings.LUMBUNG_MAP_TILE_URL,
        "map_attribution": settings.LUMBUNG_MAP_ATTRIBUTION,
        "field_notes": _field_notes_by_form_field(notes),
        "general_note": returned.general,
        "other_notes": {
            label: notes[key] for key, label in REVIEWABLE if key in ("team", "attachments") and notes.get(key)
        },
    }
    return render(request, "innovations/form.html", context, status=status)


@access.roles(*CREATOR_ROLES)
def innovation_create(request):
    units = _units_for(request.user, request.region)
    if not units.exists():
        messages.warning(
            request, _("Akun Anda belum terhubung dengan perangkat daerah mana pun. Hubungi admin inovasi.")
        )
        return redirect("innovations:list")
    form = InnovationForm(
        request.POST or None, request.FILES or None, region=request.region, units=units, upload_owner=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            innovation = services.innovation_create(
                region=request.region, actor=request.user, data=form.profile_data(),
                related_affairs=form.cleaned_data["related_affairs"], attachment=form.attachment(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Inovasi disimpan sebagai draf. Lengkapi tim dan lampiran, lalu ajukan."))
            return redirect("innovations:detail", innovation.pk)
    return _render_form(request, form, status=400 if form.errors else 200)


@access.roles(*CREATOR_ROLES)
def innovation_similar(request):
    """htmx: innovations of the region whose names look like the one being typed.

    Records the user may not open (another unit's drafts) are matched too, so a duplicate is
    caught early, but only their unit is shown, never their name or a link.
    """
    name = request.GET.get("name", "")[:255]
    candidates = Innovation.objects.filter(region=request.region).exclude(pk=parse_id(request.GET.get("exclude")))
    rows = {row["id"]: row for row in candidates.values("id", "name", "unit__name", "status")}
    matches = similar(name, ((pk, row["name"]) for pk, row in rows.items()))
    visible = set(
        Innovation.objects.visible_to(request.user, request.region)
        .filter(pk__in=[match.key for match in matches])
        .values_list("pk", flat=True)
    )
    found = [
        {**rows[match.key], "score": round(match.score * 100), "visible": match.key in visible} for match in matches
    ]
    return render(request, "innovations/_similar.html", {"matches": found, "name": name})


def _events(innovation):
    events = history(innovation.events.select_related("actor"))
    for event in events:
        notes = (event.data or {}).get("field_notes", {})
        event.field_notes = [(label, notes[key]) for key, label in REVIEWABLE if notes.get(key)]
    return events


def _detail_context(request, innovation, **forms):
    user = request.user
    can_change = user.has_perm("innovations.change_innovation", innovation)
    returned = services.latest_return_notes(innovation)
    context = {
        "innovation": innovation,
        "events": _events(innovation),
        "transitions": [t for t in REVIEW.available(user, innovation) if t.action in BUTTON_ACTIONS],
        "can_return": REVIEW.may(user, innovation, "return"),
        "continuity": CONTINUITY.available(user, innovation),
        "can_change": can_change,
        "can_view_attachments": user.has_perm("innovations.view_attachment", innovation),
        "problems": innovation.submission_problems() if innovation.is_editable else [],
        "field_notes": [(label, returned.fields[key]) for key, label in REVIEWABLE if returned.fields.get(key)],
        "general_note": returned.general,
        "this_year": timezone.localdate().year,
        "transition_url": reverse("innovations:transition", args=[innovation.pk]),
    }
    if can_change:
        context["team_form"] = forms.get("team_form") or TeamMemberForm(region=innovation.region)
        context["attachment_form"] = forms.get("attachment_form") or AttachmentForm(upload_owner=user)
    return context


@access.authenticated
def innovation_detail(request, pk):
    innovation = _innovation_for(request, pk)
    return render(request, "innovations/detail.html", _detail_context(request, innovation))


@access.roles(*CREATOR_ROLES)
def innovation_edit(request, pk):
    innovation = _innovation_for(request, pk, "innovations.change_innovation")
    units = _units_for(request.user, request.region, current=innovation.unit)
    form = InnovationForm(
        request.POST or None, request.FILES or None, instance=innovation, region=request.region,
        units=units, upload_owner=request.user,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.innovation_update(
                innovation=innovation, actor=request.user, data=form.profile_data(),
                related_affairs=form.cleaned_data["related_affairs"], attachment=form.attachment(),
                version=form.cleaned_data.get("version"),
            )  # fmt: skip
        except services.StaleEditError as error:
            # What was typed stays; saving again (after reading the message) is from the current version.
            form.data = form.data.copy()
            form.data["version"] = str(error.version)
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("innovations:detail", innovation.pk)
    return _render_form(request, form, innovation, status=400 if form.errors else 200)


def _report_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
@access.authenticated
def innovation_transition(request, pk):
    innovation = _innovation_for(request, pk)
    action = request.POST.get("action", "")
    if action not in BUTTON_ACTIONS:
        raise Http404
    try:
        services.innovation_transition(
            innovation=innovation, action=action, actor=request.user, note=request.POST.get("note", "")
        )
    except TransitionNotAllowed:
        messages.error(
            request, _("Tindakan ini tidak dapat dilakukan pada status sekarang; mungkin sudah diubah orang lain.")
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _report_errors(request, error)
    else:
        messages.success(request, _("Status inovasi sekarang: %(state)s.") % {"state": innovation.get_status_display()})
    return redirect("innovations:detail", innovation.pk)


@access.roles(Role.ADMIN, Role.VERIFIER)
def innovation_return(request, pk):
    """The verifier's return for revision, with a note per part of the profile."""
    innovation = _innovation_for(request, pk, "innovations.review_innovation")
    if not REVIEW.may(request.user, innovation, "return"):
        messages.error(request, _("Inovasi dengan status ini tidak dapat dikembalikan."))
        return redirect("innovations:detail", innovation.pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.innovation_transition(
                innovation=innovation, action="return", actor=request.user,
                note=form.cleaned_data["note"], field_notes=form.field_notes(),
            )  # fmt: skip
        except TransitionNotAllowed:
            messages.error(request, _("Status inovasi sudah berubah; periksa kembali."))
        else:
            messages.success(request, _("Inovasi dikembalikan dengan catatan perbaikan."))
        return redirect("innovations:detail", innovation.pk)
    return render(
        request, "innovations/return.html", {"innovation": innovation, "form": form}, status=400 if form.errors else 200
    )


@require_POST
@access.authenticated
def innovation_running(request, pk):
    innovation = _innovation_for(request, pk, "innovations.confirm_running")
    form = RunningForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.innovation_confirm_running(
            innovation=innovation,
            action=form.cleaned_data["action"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except TransitionNotAllowed:
        messages.error(request, _("Keberlanjutan inovasi sudah berubah; periksa kembali."))
    except ValidationError:
        messages.error(request, _("Tuliskan alasan inovasi berhenti."))
    else:
        messages.success(
            request,
            _("Keberlanjutan inovasi tercatat untuk tahun %(year)s.") % {"year": innovation.running_confirmed_year},
        )
    return redirect("innovations:detail", innovation.pk)


@require_POST
@access.roles(*CREATOR_ROLES)
def team_add(request, pk):
    innovation = _innovation_for(request, pk, "innovations.change_innovation")
    form = TeamMemberForm(request.POST, region=innovation.region)
    if form.is_valid():
        try:
            services.team_member_add(
                innovation=innovation, actor=request.user, role=form.cleaned_data["role"],
                official=form.cleaned_data["official"], name=form.cleaned_data["name"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Anggota tim ditambahkan."))
            return redirect("innovations:detail", innovation.pk)
    innovation = _innovation_for(request, pk)
    return render(request, "innovations/detail.html", _detail_context(request, innovation, team_form=form), status=400)


def _member_for(request, member_pk) -> TeamMember:
    member = (
        TeamMember.objects.filter(pk=member_pk, innovation__region=request.region)
        .select_related("innovation__unit")
        .first()
    )
    if member is None:
        raise Http404
    require_perm(request.user, "innovations.change_innovation", member.innovation)
    return member


@require_POST
@access.roles(*CREATOR_ROLES)
def team_remove(request, member_pk):
    member = _member_for(request, member_pk)
    try:
        services.team_member_remove(member=member, actor=request.user)
    except ValidationError as error:
        _report_errors(request, error)
    return redirect("innovations:detail", member.innovation_id)


@require_POST
@access.roles(*CREATOR_ROLES)
def attachment_add(request, pk):
    innovation = _innovation_for(request, pk, "innovations.change_innovation")
    form = AttachmentForm(request.POST, request.FILES, upload_owner=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attachment_add(
                innovation=innovation, actor=request.user, kind=data["kind"], title=data["title"], uploaded=data["file"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Lampiran diunggah."))
            return redirect("innovations:detail", innovation.pk)
    innovation = _innovation_for(request, pk)
    return render(
        request, "innovations/detail.html", _detail_context(request, innovation, attachment_form=form), status=400
    )


def _attachment_for(request, attachment_pk, perm) -> Attachment:
    attachment = (
        Attachment.objects.filter(pk=attachment_pk, innovation__region=request.region)
        .select_related("innovation__unit")
        .prefetch_related("innovation__team")
        .first()
    )
    if attachment is None:
        raise Http404
    require_perm(request.user, perm, attachment.innovation)
    return attachment


@access.authenticated
def attachment_download(request, attachment_pk):
    attachment = _attachment_for(request, attachment_pk, "innovations.view_attachment")
    return private_file_response(attachment.file, attachment.original_name)


@require_POST
@access.roles(*CREATOR_ROLES)
def attachment_delete(request, attachment_pk):
    attachment = _attachment_for(request, attachment_pk, "innovations.change_innovation")
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except ValidationError as error:
        _report_errors(request, error)
    return redirect("innovations:detail", attachment.innovation_id)


def _print_context(innovation, request):
    return {
        "innovation": innovation,
        "region": innovation.region,
        "team": list(innovation.team.all()),
        "attachments": list(innovation.attachments.all())
        if request.user.has_perm("innovations.view_attachment", innovation)
        else [],
        "printed_at": timezone.localtime(),
    }


@access.authenticated
def innovation_print(request, pk):
    innovation = _innovation_for(request, pk)
    return render(request, "innovations/print.html", _print_context(innovation, request))


@access.authenticated
def innovation_pdf(request, pk):
    innovation = _innovation_for(request, pk)
    pdf = render_pdf("innovations/print.html", _print_context(innovation, request), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="profil-inovasi-{innovation.pk}-{slugify(innovation.name)[:60]}.pdf"'
    )
    return private_headers(response)


# Programmes (SOSIS, PM Indah) -----------------------------------------------------------------


def _programme_for(request, pk, perm="innovations.view_programme") -> Programme:
    return get_for_user(request.user, Programme.objects.filter(region=request.region), perm, pk=pk)


@access.roles(*PROGRAMME_READERS)
def programme_list(request):
    programmes = Programme.objects.filter(region=request.region)
    reports = [programme_compliance(programme, with_trend=False) for programme in programmes if programme.is_active]
    inactive = [programme for programme in programmes if not programme.is_active]
    return render(request, "innovations/programme_list.html", {"reports": reports, "inactive": inactive})


def _programme_form(request, programme):
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_save(programme=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Program disimpan."))
            return redirect("innovations:programme-detail", programme.pk)
    return render(
        request,
        "innovations/programme_form.html",
        {"form": form, "programme": programme if programme.pk else None},
        status=400 if form.errors else 200,
    )


@access.roles(Role.ADMIN)
def programme_create(request):
    today = timezone.localdate()
    programme = Programme(region=request.region, year=today.year, reference_date=today.replace(month=12, day=31))
    return _programme_form(request, programme)


@access.roles(Role.ADMIN)
def programme_edit(request, pk):
    return _programme_form(request, _programme_for(request, pk, "innovations.change_programme"))


# Rows of a programme's compliance list per page.
PROGRAMME_PAGE_ROWS = 25


@access.roles(*PROGRAMME_READERS)
def programme_detail(request, pk):
    programme = _programme_for(request, pk)
    report = with_last_reminders(programme_compliance(programme))
    show = request.GET.get("tampil", "kurang")
    rows = report.missing_rows if show == "kurang" else report.rows
    # A long list (PM Indah: every echelon official) is read by unit and a page at a time.
    units = sorted({row.unit for row in report.rows if row.unit}, key=lambda unit: unit.display_name)
    unit_id = parse_id(request.GET.get("unit"))
    if unit_id:
        rows = [row for row in rows if row.unit and row.unit.pk == unit_id]
    page = Paginator(rows, PROGRAMME_PAGE_ROWS).get_page(request.GET.get("page"))
    context = {
        "programme": programme, "report": report, "rows": page.object_list, "page_obj": page, "show": show,
        "units": units if not programme.is_unit_quota else [], "unit_id": unit_id,
        "recently_reminded": sum(1 for row in report.missing_rows if row.recently_reminded),
        "reminders": programme.reminders.select_related("sent_by", "unit", "official")[:REMINDER_HISTORY],
        "can_change": request.user.has_perm("innovations.change_programme", programme),
    }  # fmt: skip
    return render(request, "innovations/programme_detail.html", context)


@access.roles(*PROGRAMME_READERS)
def programme_export(request, pk):
    programme = _programme_for(request, pk)
    report = programme_compliance(programme)
    name = f"kepatuhan-{slugify(programme.name)}-{programme.year}.xlsx"
    return xlsx_response(name, programme_sheets(report), title=f"{programme} — {programme.region.name}")


def _names(rows, limit: int = 8) -> str:
    names = ", ".join(row.name for row in rows[:limit])
    return names if len(rows) <= limit else _("%(names)s dan %(n)s lainnya") % {"names": names, "n": len(rows) - limit}


@require_POST
@access.roles(Role.ADMIN)
def programme_remind(request, pk):
    programme = _programme_for(request, pk, "innovations.change_programme")
    form = ReminderForm(request.POST)
    back = reverse("innovations:programme-detail", args=[programme.pk]) + "?tampil=kurang"
    if not form.is_valid():
        messages.error(request, _("Permintaan pengingat tidak sah; muat ulang halaman lalu coba lagi."))
        return redirect(back)
    target = form.cleaned_data["target"]
    try:
        outcome = services.programme_remind(
            programme=programme, actor=request.user, keys=None if target is None else {target},
            repeat=form.cleaned_data["repeat"],
        )  # fmt: skip
    except ValidationError as error:
        _report_errors(request, error)
        return redirect(back)
    if outcome.reminded:
        messages.success(
            request,
            _("Pengingat dikirim kepada %(people)s orang untuk %(n)s sasaran: %(names)s.")
            % {"people": outcome.notified, "n": len(outcome.reminded), "names": _names(outcome.reminded)},
        )
    if outcome.held_back:
        messages.warning(
            request,
            _(
                "Tidak dikirim ulang kepada %(n)s sasaran yang sudah diingatkan dalam %(days)s hari terakhir: "
                "%(names)s. Untuk tetap mengirim, centang konfirmasi kirim ulang lalu tekan tombolnya lagi."
            )
            % {"n": len(outcome.held_back), "days": programme.reminder_quiet_days, "names": _names(outcome.held_back)},
        )
    if outcome.unreachable:
        messages.warning(
            request,
            _("%(n)s sasaran tidak punya akun penerima (operator perangkat daerah atau akun pejabat): %(names)s.")
            % {"n": len(outcome.unreachable), "names": _names(outcome.unreachable)},
        )
    if not (outcome.reminded or outcome.held_back or outcome.unreachable):
        messages.info(request, _("Semua sasaran sudah memenuhi kuota; tidak ada yang perlu diingatkan."))
    return redirect(back)


@access.roles(Role.ADMIN)
def programme_letters(request, pk):
    """Letters and WhatsApp links for the targets a reminder in the app cannot reach."""
    programme = _programme_for(request, pk, "innovations.change_programme")
    form = LetterForm(request.POST or None)
    include_reachable = form.is_bound and form.is_valid() and form.cleaned_data["include_reachable"]
    targets = letter_targets(programme, include_reachable=include_reachable)
    if form.is_bound and form.is_valid() and targets:
        data = form.cleaned_data
        pdf = letters_pdf(
            programme, targets, number=data["number"], date=data["date"],
            signatory=Signatory(data["signatory_name"], data["signatory_position"], data["signatory_nip"]),
        )  # fmt: skip
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"surat-pengingat-{slugify(programme.name)}-{programme.year}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if form.is_bound and form.is_valid():
        messages.info(request, _("Tidak ada sasaran yang perlu disurati."))
    return render(
        request, "innovations/programme_letters.html", {"programme": programme, "form": form, "targets": targets}
    )

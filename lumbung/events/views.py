from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user, require_perm
from lumbung.core.files import private_file_response, private_headers
from lumbung.core.redirects import redirect_local
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.core.spreadsheets import xlsx_response
from lumbung.core.throttle import client_address, throttle_blocked, throttle_hit, throttle_key
from lumbung.core.workflow import TransitionNotAllowed

from . import documents, services
from .forms import (
    CheckInForm,
    EventForm,
    GuestForm,
    MaterialForm,
    OfficialsForm,
    PhotoForm,
    ProposalDecisionForm,
    SelfRegistrationForm,
    UnitStaffForm,
)
from .history import labelled
from .models import Certificate, Event, EvidenceProposal, Material, Photo, Registration, normalise_code
from .qr import qr_svg
from .workflows import EVENT, PROPOSAL, REGISTRATION

# Wrong codes allowed per address in ten minutes before the check-in page asks to wait.
CHECK_IN_ATTEMPTS = 20


def _event(request, pk, perm="events.view_event") -> Event:
    events = Event.objects.filter(region=request.region).select_related("region", "organiser")
    return get_for_user(request.user, events, perm, pk=pk)


def _registration(request, pk, perm="events.view_registration") -> Registration:
    registrations = Registration.objects.select_related("event", "event__region", "event__organiser")
    return get_for_user(request.user, registrations, perm, pk=pk)


def _back(request, fallback: str):
    return redirect_local(request, request.POST.get("next", ""), fallback)


def _errors(request, error) -> None:
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


# Events -----------------------------------------------------------------------------------


@access.roles(*REGION_ROLES)
def event_list(request):
    # Counting drops Meta.ordering (GROUP BY), so the order is set again.
    events = (
        Event.objects.visible_to(request.user, request.region)
        .with_counts()
        .select_related("organiser")
        .order_by("-starts_at", "pk")
    )
    when = request.GET.get("waktu", "mendatang")
    now = timezone.now()
    if when == "mendatang":
        events = events.filter(ends_at__gte=now).exclude(status=Event.Status.CANCELLED).order_by("starts_at")
    elif when == "lampau":
        events = events.filter(ends_at__lt=now)
    kind = request.GET.get("jenis", "")
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        events = events.filter(title__icontains=query)
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    mine = dict(
        Registration.objects.filter(user=request.user, event__in=[e.pk for e in page]).values_list("event_id", "status")
    )
    context = {"page_obj": page, "when": when, "kind": kind, "query": query, "kinds": Event.Kind.choices, "mine": mine}
    return render(request, "events/event_list.html", context)


@access.roles(Role.ADMIN)
def event_create(request):
    form = EventForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(event=form.save(commit=False), region=request.region, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Kegiatan disimpan sebagai draf."))
            return redirect("events:detail", event.pk)
    return render(request, "events/event_form.html", {"form": form})


@access.roles(Role.ADMIN)
def event_edit(request, pk):
    event = _event(request, pk, "events.change_event")
    form = EventForm(request.POST or None, instance=event, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=form.save(commit=False), actor=request.user, changed=form.changed_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("events:detail", event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@access.roles(*REGION_ROLES)
def event_detail(request, pk):
    event = _event(request, pk)
    user = request.user
    is_admin = user.has_perm("events.manage_event", event)
    registrations = event.registrations.all()
    context = {
        "event": event,
        "is_admin": is_admin,
        "mine": registrations.filter(user=user).first(),
        "counts": registrations.aggregate(
            registered=Count("pk", filter=~Q(status=Registration.Status.CANCELLED)),
            attended=Count("pk", filter=Q(status=Registration.Status.ATTENDED)),
        ),
        "may_register": user.has_perm("events.register_self", event),
        "may_register_staff": user.has_role(Role.OPERATOR, request.region)
        and user.has_perm("events.register_staff", event),
        "register_form": SelfRegistrationForm(initial={"phone": user.phone}),
        "photos": event.photos.select_related("innovation"),
        "materials": event.materials.all(),
        "transitions": EVENT.available(user, event),
        "action_url": reverse("events:transition", args=[event.pk]),
    }
    if is_admin:
        context["events"] = labelled(event.history.select_related("actor"), EVENT, Event.Status)
        context["proposal_counts"] = dict(event.proposals.values_list("status").annotate(n=Count("pk")))
        context["certificate_count"] = event.certificates.count()
    return render(request, "events/event_detail.html", context)


@require_POST
@access.roles(Role.ADMIN)
def event_transition(request, pk):
    event = _event(request, pk, "events.manage_event")
    try:
        services.event_transition(
            event=event, action=request.POST.get("action", ""), actor=request.user, note=request.POST.get("note", "")
        )
    except (TransitionNotAllowed, PermissionDenied):
        messages.error(request, _("Tindakan itu tidak dapat dilakukan pada status kegiatan sekarang."))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Status kegiatan: %(status)s.") % {"status": event.get_status_display()})
    return redirect("events:detail", event.pk)


# Registration and tickets -----------------------------------------------------------------


@require_POST
@access.roles(*REGION_ROLES)
def register(request, pk):
    event = _event(request, pk)
    form = SelfRegistrationForm(request.POST)
    if not form.is_valid():
        _errors(request, ValidationError(_("Periksa isian pendaftaran.")))
        return redirect("events:detail", event.pk)
    try:
        registration = services.registration_self(event=event, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
        return redirect("events:detail", event.pk)
    messages.success(request, _("Anda terdaftar. Simpan kode presensi ini untuk hari kegiatan."))
    return redirect("events:ticket", registration.pk)


@access.authenticated
def ticket(request, pk):
    """The participant's pass: the check-in code, and a QR code the committee can scan."""
    registration = _registration(request, pk)
    check_in_url = request.build_absolute_uri(reverse("events:check-in-code", args=[registration.code]))
    context = {
        "registration": registration,
        "event": registration.event,
        "qr": qr_svg(check_in_url, title=_("Kode QR presensi %(code)s") % {"code": registration.display_code}),
        "transitions": [t for t in REGISTRATION.available(request.user, registration) if t.action == "cancel"],
        "certificate": Certificate.objects.filter(registration=registration).first(),
    }
    return render(request, "events/ticket.html", context)


@require_POST
@access.authenticated
def registration_action(request, pk):
    registration = _registration(request, pk)
    try:
        services.registration_transition(
            registration=registration, action=request.POST.get("action", ""), actor=request.user,
            note=request.POST.get("note", ""),
        )  # fmt: skip
    except (TransitionNotAllowed, PermissionDenied):
        messages.error(request, _("Tindakan itu tidak dapat dilakukan sekarang."))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": registration.name, "status": registration.get_status_display()},
        )
    return _back(request, reverse("events:ticket", args=[registration.pk]))


@access.roles(Role.ADMIN)
def participants(request, pk):
    event = _event(request, pk, "events.manage_event")
    registrations = event.registrations.select_related("official", "certificate")
    status = request.GET.get("status", "")
    if status in Registration.Status.values:
        registrations = registrations.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        registrations = registrations.filter(
            Q(name__icontains=query) | Q(affiliation__icontains=query) | Q(code=normalise_code(query))
        )
    page = Paginator(registrations.order_by("name"), 50).get_page(request.GET.get("page"))
    for registration in page:
        registration.event = event  # the reminder names the event; no query per row
        registration.whatsapp_reminder = services.reminder_whatsapp_url(registration)
    context = {
        "event": event,
        "page_obj": page,
        "status": status,
        "query": query,
        "statuses": Registration.Status.choices,
        "officials_form": OfficialsForm(region=request.region),
        "guest_form": GuestForm(),
        "may_add": event.status in Event.ADMIN_REGISTRATION_STATES,
        "may_record": event.status in Event.CHECK_IN_STATES | {Event.Status.FINISHED},
    }
    return render(request, "events/participants.html", context)


@require_POST
@access.roles(Role.ADMIN)
def add_officials(request, pk):
    event = _event(request, pk, "events.manage_event")
    form = OfficialsForm(request.POST, region=request.region)
    if form.is_valid():
        try:
            added, skipped = services.registration_add_officials(
                event=event, officials=form.selected_officials(), actor=request.user
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("%(n)s peserta ditambahkan.") % {"n": len(added)})
            if skipped:
                messages.info(request, _("Sudah terdaftar: %(names)s.") % {"names": ", ".join(skipped)})
    else:
        _errors(request, ValidationError(form.errors.get("__all__") or _("Pilihan tidak sah.")))
    return redirect("events:participants", event.pk)


@access.roles(Role.OPERATOR)
def unit_staff(request, pk):
    """A unit operator registers colleagues: the current staff of the units they operate."""
    event = _event(request, pk)
    form = UnitStaffForm(request.POST or None, region=request.region, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            added, skipped = services.registration_add_officials(
                event=event, officials=form.selected_officials(), actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(n)s pegawai didaftarkan.") % {"n": len(added)})
            if skipped:
                messages.info(request, _("Sudah terdaftar: %(names)s.") % {"names": ", ".join(skipped)})
            return redirect("events:unit-staff", event.pk)
    registered = (
        event.registrations.filter(official__in=services.operated_staff(user=request.user, region=request.region))
        .select_related("official", "registered_by")
        .order_by("name")
    )
    context = {
        "event": event,
        "form": form,
        "registered": registered,
        "may_register": request.user.has_perm("events.register_staff", event),
        "places_left": services.places_left(event),
    }
    return render(request, "events/unit_staff.html", context, status=400 if form.errors else 200)


@access.roles(Role.ADMIN)
def add_guest(request, pk):
    event = _event(request, pk, "events.manage_event")
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_add_guest(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s terdaftar dengan kode %(code)s.")
                % {"name": registration.name, "code": registration.display_code},
            )
            return redirect("events:participants", event.pk)
    return render(request, "events/guest_form.html", {"event": event, "form": form})


@access.roles(Role.ADMIN)
def participants_export(request, pk):
    """Names with their check-in codes, to send out by WhatsApp or print as door cards."""
    event = _event(request, pk, "events.manage_event")
    headers = [_("Nama"), _("Instansi/unit"), _("Nomor HP"), _("Kode presensi"), _("Status"), _("Waktu hadir")]
    rows = [
        [r.name, r.affiliation, r.phone, r.display_code, r.get_status_display(),
         timezone.localtime(r.attended_at).replace(tzinfo=None) if r.attended_at else ""]
        for r in event.registrations.order_by("name")
    ]  # fmt: skip
    return xlsx_response(
        f"peserta-{slugify(event.title)[:60]}.xlsx", [(_("Peserta"), headers, rows)], title=event.title
    )


# Check-in at the door ---------------------------------------------------------------------


CHECK_IN_WINDOW = 600  # seconds


def _throttle_key(request) -> str:
    # In the shared cache: with Redis configured every server process counts the same guesses.
    return throttle_key("events:check-in", client_address(request))


def _throttled() -> str:
    return _("Terlalu banyak kode yang salah dari perangkat ini. Coba lagi 10 menit lagi atau hubungi panitia.")


def _check_in(request, code: str, method: str):
    """Run the check-in and return (registration or None, error message or "")."""
    key = _throttle_key(request)
    if throttle_blocked(key, CHECK_IN_ATTEMPTS):
        return None, _throttled()
    actor = request.user if request.user.is_authenticated else None
    try:
        return services.check_in(code=code, method=method, actor=actor), ""
    except ValidationError as error:
        throttle_hit(key, window=CHECK_IN_WINDOW)
        return None, " ".join(error.messages)


@access.public
def check_in(request):
    """Participants type their code on their own phone (or the committee types it)."""
    form = CheckInForm(request.POST or None)
    registration, error = None, ""
    if request.method == "POST" and form.is_valid():
        registration, error = _check_in(request, form.cleaned_data["code"], Registration.Method.CODE)
        if registration is not None:
            form = CheckInForm()
    status = 429 if error and throttle_blocked(_throttle_key(request), CHECK_IN_ATTEMPTS) else 200
    context = {"form": form, "registration": registration, "error": error}
    return render(request, "events/check_in.html", context, status=status)


@access.public
def check_in_code(request, code):
    """Where a participant's QR code leads: the committee confirms with one tap."""
    key = _throttle_key(request)
    if throttle_blocked(key, CHECK_IN_ATTEMPTS):
        # The lookup names the participant, so guessing codes by GET is limited like the POST.
        context = {"pending": None, "registration": None, "error": _throttled(), "code": code}
        return render(request, "events/check_in.html", context, status=429)
    pending = Registration.objects.filter(code=normalise_code(code)).select_related("event").first()
    registration, error = None, ""
    if request.method == "POST":
        registration, error = _check_in(request, code, Registration.Method.QR)
    elif pending is None:
        throttle_hit(key, window=CHECK_IN_WINDOW)
        error = _("Kode presensi tidak dikenal. Periksa kembali kode pada undangan atau tiket Anda.")
    context = {"pending": pending, "registration": registration, "error": error, "code": code}
    return render(request, "events/check_in.html", context, status=404 if pending is None else 200)


@access.roles(Role.ADMIN)
def door(request, pk):
    """A screen for the door: the QR code of the check-in page and the attendance as it grows."""
    event = _event(request, pk, "events.manage_event")
    context = {
        "event": event,
        "attended": event.registrations.attended().count(),
        "registered": event.registrations.active().count(),
        "recent": event.registrations.attended().order_by("-attended_at")[:8],
    }
    if request.htmx:
        return render(request, "events/_door_status.html", context)
    check_in_url = request.build_absolute_uri(reverse("events:check-in"))
    context.update(check_in_url=check_in_url, qr=qr_svg(check_in_url, scale=10, title=_("Kode QR halaman presensi")))
    return render(request, "events/door.html", context)


# Documents and certificates ---------------------------------------------------------------


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private_headers(response)


@access.roles(Role.ADMIN)
def invitation_pdf(request, pk):
    event = _event(request, pk, "events.manage_event")
    return _pdf_response(documents.invitation_pdf(event), f"undangan-{slugify(event.title)[:60]}.pdf")


@access.roles(Role.ADMIN)
def attendance_pdf(request, pk):
    event = _event(request, pk, "events.manage_event")
    return _pdf_response(documents.attendance_pdf(event), f"daftar-hadir-{slugify(event.title)[:60]}.pdf")


@require_POST
@access.roles(Role.ADMIN)
def certificates_issue(request, pk):
    event = _event(request, pk, "events.manage_event")
    try:
        job = services.certificates_start(event=event, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("events:detail", event.pk)
    return redirect("core:job-detail", job.pk)


@access.authenticated
def certificate_download(request, pk):
    registration = _registration(request, pk)
    certificate = Certificate.objects.filter(registration=registration).first()
    if certificate is None:
        raise Http404
    return private_file_response(certificate.file, certificate.download_name)


@access.public
def certificate_verify(request, token):
    certificate = (
        Certificate.objects.filter(token=token).select_related("registration", "event", "event__region").first()
    )
    return render(
        request, "events/certificate_verify.html", {"certificate": certificate}, status=200 if certificate else 404
    )


# Photos and materials ---------------------------------------------------------------------


def _upload(request, pk, form_class, save, heading):
    event = _event(request, pk, "events.manage_event")
    extra = {"region": request.region} if form_class is PhotoForm else {}
    form = form_class(request.POST or None, request.FILES or None, upload_owner=request.user, **extra)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            save(event=event, actor=request.user, uploaded=data.pop("file"), **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Berkas disimpan."))
            return redirect("events:detail", event.pk)
    return render(request, "events/upload_form.html", {"event": event, "form": form, "heading": heading})


@access.roles(Role.ADMIN)
def photo_add(request, pk):
    return _upload(request, pk, PhotoForm, services.photo_add, _("Unggah foto kegiatan"))


@access.roles(Role.ADMIN)
def material_add(request, pk):
    return _upload(request, pk, MaterialForm, services.material_add, _("Unggah materi"))


def _stored_file(request, model, pk):
    record = model.objects.filter(pk=pk, event__region=request.region).select_related("event").first()
    if record is None:
        raise Http404
    require_perm(request.user, "events.view_event", record.event)
    return record


@access.roles(*REGION_ROLES)
def photo_file(request, pk):
    photo = _stored_file(request, Photo, pk)
    if request.GET.get("ukuran") == "kecil" and photo.thumbnail:
        return private_file_response(photo.thumbnail, f"kecil-{photo.pk}.jpg")
    return private_file_response(photo.file, photo.original_name)


@access.roles(*REGION_ROLES)
def material_file(request, pk):
    material = _stored_file(request, Material, pk)
    return private_file_response(material.file, material.original_name)


def _delete(request, model, pk):
    record = _stored_file(request, model, pk)
    require_perm(request.user, "events.manage_event", record.event)
    services.stored_file_delete(record=record, actor=request.user)
    messages.success(request, _("Berkas dihapus."))
    return redirect("events:detail", record.event_id)


@require_POST
@access.roles(Role.ADMIN)
def photo_delete(request, pk):
    return _delete(request, Photo, pk)


@require_POST
@access.roles(Role.ADMIN)
def material_delete(request, pk):
    return _delete(request, Material, pk)


# Evidence ---------------------------------------------------------------------------------


@access.roles(Role.ADMIN)
def proposals(request, pk):
    """The admin reviews which innovations the event's evidence should go to."""
    event = _event(request, pk, "events.review_evidence")
    form = ProposalDecisionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.proposals_decide(
                event=event, proposals=data["proposals"], action=data["action"], actor=request.user,
                year=data.get("year"), note=data["note"],
            )  # fmt: skip
        except (TransitionNotAllowed, PermissionDenied):
            form.add_error(
                "proposals", _("Sebagian usulan yang dipilih tidak dalam status yang sesuai untuk tindakan itu.")
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if job is not None:
                return redirect("core:job-detail", job.pk)
            messages.success(request, _("Keputusan disimpan."))
            return redirect("events:proposals", event.pk)
    rows = list(
        event.proposals.select_related("innovation", "innovation__unit").prefetch_related("attendees", "history__actor")
    )
    for proposal in rows:
        proposal.timeline = labelled(proposal.history.all(), PROPOSAL, EvidenceProposal.Status)
    waiting = sum(1 for proposal in rows if proposal.status == EvidenceProposal.Status.CONFIRMED)
    context = {"event": event, "form": form, "rows": rows, "waiting": waiting}
    return render(request, "events/proposals.html", context)


@require_POST
@access.roles(Role.ADMIN)
def proposals_refresh(request, pk):
    event = _event(request, pk, "events.review_evidence")
    found = services.evidence_propose(event=event)
    messages.success(request, _("%(n)s inovasi ditemukan dari anggota tim yang hadir.") % {"n": len(found)})
    return redirect("events:proposals", event.pk)


@require_POST
@access.roles(Role.ADMIN)
def proposals_retry(request, pk):
    """Try again to attach confirmed proposals that failed (for example a locked assessment)."""
    event = _event(request, pk, "events.review_evidence")
    job = services.evidence_attach_start(event=event, actor=request.user)
    return redirect("core:job-detail", job.pk)

"""Operations on events: create and run them, register and check in participants, issue
certificates, keep photos and materials, and turn attendance into evidence for the assessment.

Evidence reaches the assessment only through its contract (`document_store`, `evidence_attach`
in lumbung.assessment.services) and only for proposals an admin confirmed."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lumbung.assessment import evidence as assessment_evidence
from lumbung.core.jobs import running_job, start_job
from lumbung.core.tasks import task
from lumbung.core.whatsapp import whatsapp_url
from lumbung.innovations.models import TeamMember
from lumbung.notifications.services import notify
from lumbung.organisation.models import Assignment, Official, Unit

from . import documents
from .models import (
    Certificate,
    Event,
    EventHistory,
    EvidenceProposal,
    Material,
    Photo,
    Registration,
    RegistrationHistory,
    new_check_in_code,
    normalise_code,
)
from .workflows import EVENT, PROPOSAL, REGISTRATION

CERTIFICATE_KIND_CODES = {Event.Kind.BIMTEK: "BIMTEK", Event.Kind.WORKSHOP: "WS", Event.Kind.SOCIALISATION: "SOS"}


# Events ------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, event: Event, region, actor) -> Event:
    """Save a new event (built by the form) as a draft of `region`."""
    event.region, event.created_by, event.status = region, actor, Event.Status.DRAFT
    event.full_clean()
    event.save()
    EventHistory.objects.create(event=event, actor=actor, action="create", from_state="", to_state=event.status)
    return event


@transaction.atomic
def event_update(*, event: Event, actor, changed: list[str]) -> Event:
    if not event.is_editable:
        raise ValidationError(_("Kegiatan yang sudah selesai atau dibatalkan tidak dapat diubah."))
    event.full_clean()
    event.save()
    if changed:
        EventHistory.objects.create(
            event=event, actor=actor, action="edit", from_state=event.status, to_state=event.status,
            data={"fields": changed},
        )  # fmt: skip
    return event


@transaction.atomic
def event_transition(*, event: Event, action: str, actor, note: str = "") -> EventHistory:
    """Move the event along. Opening sends the codes to participants registered in advance,
    finishing proposes evidence, cancelling tells the participants."""
    history = EVENT.apply(event, action, actor=actor, note=note)
    with_account = event.registrations.active().filter(user__isnull=False).select_related("user", "event__region")
    if action == "open":
        _tell_registered(list(with_account))
    elif action == "finish":
        evidence_propose(event=event)
    elif action == "cancel":
        notify(
            recipients=[registration.user for registration in with_account],
            title=_("%(title)s dibatalkan") % {"title": event.title[:150]},
            body=note,
            url=reverse("events:detail", args=[event.pk]),
            region=event.region,
        )
    return history


# Registration ------------------------------------------------------------------------------


def _current_affiliation(official) -> str:
    assignment = official.assignments.current().filter(is_acting=False).select_related("unit").first()
    if not assignment:
        return ""
    # "Kepala Dinas Kesehatan" already names its unit; "Kepala Seksi Gizi" does not.
    if assignment.unit.name.casefold() in assignment.position.casefold():
        return assignment.position
    return f"{assignment.position}, {assignment.unit.name}"


def _user_affiliation(user, region_id) -> str:
    """The position from the roster, or else the unit the account operates for."""
    if user.official_id:
        return _current_affiliation(user.official)
    role = (
        user.role_assignments.filter(region_id=region_id, unit__isnull=False, is_active=True)
        .select_related("unit")
        .first()
    )
    return role.unit.name if role else ""


@transaction.atomic
def registration_self(*, event: Event, user, affiliation: str = "", phone: str = "") -> Registration:
    """Sign `user` up; a registration the committee made for the user's roster entry is taken
    over, and a cancelled one comes back."""
    if not user.has_perm("events.register_self", event):
        raise ValidationError(_("Pendaftaran untuk kegiatan ini tidak dibuka bagi Anda."))
    existing = (
        event.registrations.filter(Q(user=user) | Q(official_id=user.official_id, official__isnull=False))
        .select_for_update()
        .first()
    )
    if existing is not None:
        if existing.user_id is None:
            # The committee registered the user's roster entry; the user takes it over.
            existing.user = user
            existing.save(update_fields=["user"])
            if existing.status != Registration.Status.CANCELLED:
                return existing
        elif existing.status != Registration.Status.CANCELLED:
            raise ValidationError(_("Anda sudah terdaftar di kegiatan ini."))
    if places_left(event) == 0:
        raise ValidationError(_("Kuota peserta sudah penuh."))
    if existing is not None:
        REGISTRATION.apply(existing, "restore", actor=user)
        return existing
    registration = Registration(
        event=event, user=user, official=user.official, name=user.full_name, phone=phone or user.phone,
        affiliation=affiliation or _user_affiliation(user, event.region_id),
        registered_by=user,
    )  # fmt: skip
    return _save_new_registration(registration, actor=user)


def places_left(event: Event) -> int | None:
    """Free places, or None when the event has no capacity limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - event.registrations.active().count())


def operated_units(*, user, region):
    """The units `user` operates in `region`, with the units below them."""
    in_subtree = Q(pk__in=[])
    for path in user.operator_unit_paths(region):
        in_subtree |= Q(path__startswith=path)
    return Unit.objects.filter(in_subtree, region=region)


def operated_staff(*, user, region):
    """Officials who hold a post now in a unit `user` operates, or in a unit below it."""
    posts = Assignment.objects.current().filter(unit__in=operated_units(user=user, region=region))
    return Official.objects.filter(region=region, pk__in=posts.values("official_id"))


def _save_new_registration(registration: Registration, *, actor) -> Registration:
    registration.full_clean(exclude=["code"])
    for _attempt in range(5):
        try:
            with transaction.atomic():
                registration.save()
            break
        except IntegrityError:
            # Another request registered the same person a moment ago, or (one in hundreds of
            # millions) the random code exists already: then draw another.
            registration.full_clean(exclude=["code"])
            registration.pk, registration.code = None, new_check_in_code()
    else:
        raise ValidationError(_("Pendaftaran gagal disimpan; silakan coba lagi."))
    RegistrationHistory.objects.create(
        registration=registration, actor=actor, action="register", from_state="", to_state=registration.status
    )
    return registration


@transaction.atomic
def registration_add_officials(*, event: Event, officials, actor) -> tuple[list[Registration], list[str]]:
    """Register officials from the roster; returns the new registrations and the names skipped
    because they were already registered. Officials with an account hear of it.

    The committee (admin) registers anyone of the region until the event is over. A unit operator
    registers the current staff of the units they operate, while registration is open and only
    as far as places are left."""
    if event.status not in Event.ADMIN_REGISTRATION_STATES:
        raise ValidationError(_("Peserta tidak dapat ditambahkan pada kegiatan yang sudah selesai."))
    if not actor.has_perm("events.register_staff", event):
        raise ValidationError(_("Pegawai hanya dapat didaftarkan selama pendaftaran kegiatan dibuka."))
    officials = list(officials)
    committee = actor.has_perm("events.manage_event", event)
    if not committee:
        staff = set(operated_staff(user=actor, region=event.region).values_list("pk", flat=True))
        outside = [official.name for official in officials if official.pk not in staff]
        if outside:
            raise ValidationError(
                _("Anda hanya dapat mendaftarkan pegawai perangkat daerah yang Anda kelola; bukan: %(names)s.")
                % {"names": ", ".join(outside)}
            )
    taken = set(event.registrations.filter(official__in=officials).values_list("official_id", flat=True))
    accounts = {u.official_id: u for u in get_user_model().objects.filter(official__in=officials, is_active=True)}
    signed_up = set(event.registrations.filter(user__in=accounts.values()).values_list("user_id", flat=True))
    chosen, skipped = [], []
    for official in officials:
        account = accounts.get(official.pk)
        if official.pk in taken or official.region_id != event.region_id or (account and account.pk in signed_up):
            skipped.append(official.name)
        else:
            chosen.append((official, account))
    if not committee:
        # Two operators filling the last places at once: the second waits and counts again.
        Event.objects.select_for_update().get(pk=event.pk)
    left = None if committee else places_left(event)
    if left is not None and len(chosen) > left:
        raise ValidationError(
            _("Sisa kuota peserta %(left)s orang, sedangkan Anda memilih %(n)s orang baru. Kurangi pilihan Anda.")
            % {"left": left, "n": len(chosen)}
        )
    added = [
        _save_new_registration(
            Registration(
                event=event, official=official, user=account, name=official.name, phone=official.phone,
                affiliation=_current_affiliation(official), registered_by=actor,
            ),
            actor=actor,
        )
        for official, account in chosen
    ]  # fmt: skip
    if event.status != Event.Status.DRAFT:  # a draft's participants hear of it when it opens
        _tell_registered([r for r in added if r.user_id])
    return added, skipped


def _tell_registered(registrations: list[Registration]) -> None:
    for registration in registrations:
        notify(
            recipients=[registration.user],
            title=_("Anda terdaftar di %(title)s") % {"title": registration.event.title[:150]},
            body=_("Kode presensi Anda: %(code)s. Tunjukkan atau ketik kode ini saat datang.")
            % {"code": registration.display_code},
            url=reverse("events:ticket", args=[registration.pk]),
            region=registration.event.region,
        )


# How long before the start the participants are reminded (send_event_reminders, run hourly).
REMINDER_LEAD = timedelta(hours=24)


def event_reminders_send(*, lead: timedelta = REMINDER_LEAD) -> tuple[int, int]:
    """Remind every participant of an open or running event that starts within `lead`, once per
    registration: a second run (or one running at the same time) finds them claimed. Returns how
    many were reminded, and how many due participants have no account to remind (guests and
    officials without one, who hear from the committee)."""
    now = timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        reminded_at__isnull=True,
        event__status__in=Event.CHECK_IN_STATES,
        event__starts_at__gt=now,
        event__starts_at__lte=now + lead,
    )
    reachable = due.filter(user__isnull=False, user__is_active=True)
    reminded = 0
    for registration in reachable.select_related("event", "event__region", "user").order_by("event_id", "pk"):
        with transaction.atomic():
            # Claim the registration first: only the run whose update counts sends the message.
            if not Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            _remind(registration)
        reminded += 1
    return reminded, due.exclude(pk__in=reachable.values("pk")).count()


def reminder_text(registration: Registration) -> tuple[str, str]:
    """The reminder's title and body: the notification sends them, and the committee sends them
    by WhatsApp to participants without an account."""
    event = registration.event
    where = event.venue or event.get_mode_display()
    title = _("Pengingat: %(title)s dimulai %(when)s") % {"title": event.title[:120], "when": _day(event.starts_at)}
    body = _("Tempat: %(where)s. Kode presensi Anda: %(code)s.") % {"where": where, "code": registration.display_code}
    return title, body


def reminder_whatsapp_url(registration: Registration) -> str:
    """A wa.me link with the reminder ready to send, for a registered participant with a mobile
    number: the committee's way to reach guests and officials who have no account."""
    if not registration.phone or registration.status != Registration.Status.REGISTERED:
        return ""
    return whatsapp_url(registration.phone, "\n".join(reminder_text(registration)))


def _remind(registration: Registration) -> None:
    title, body = reminder_text(registration)
    notify(
        recipients=[registration.user],
        title=title,
        body=body + " " + _("Buka tiket Anda untuk kode QR dan rinciannya."),
        url=reverse("events:ticket", args=[registration.pk]),
        region=registration.event.region,
    )


@transaction.atomic
def registration_add_guest(*, event: Event, actor, name: str, affiliation: str = "", phone: str = "") -> Registration:
    if event.status not in Event.ADMIN_REGISTRATION_STATES:
        raise ValidationError(_("Peserta tidak dapat ditambahkan pada kegiatan yang sudah selesai."))
    registration = Registration(
        event=event, name=name.strip(), affiliation=affiliation.strip(), phone=phone.strip(), registered_by=actor
    )
    return _save_new_registration(registration, actor=actor)


@transaction.atomic
def registration_transition(*, registration: Registration, action: str, actor, note: str = "") -> RegistrationHistory:
    """A committee or participant step on a registration (mark present, cancel, restore)."""
    event = registration.event
    if action == "restore" and not actor.has_perm("events.manage_event", event) and places_left(event) == 0:
        raise ValidationError(_("Kuota peserta sudah penuh."))
    history = REGISTRATION.apply(registration, action, actor=actor, note=note)
    if action == "check_in":
        _record_attendance(registration, Registration.Method.COMMITTEE)
    elif action == "undo_check_in":
        Registration.objects.filter(pk=registration.pk).update(attended_at=None, check_in_method="")
        registration.attended_at, registration.check_in_method = None, ""
    return history


def _record_attendance(registration: Registration, method: str) -> None:
    now = timezone.now()
    Registration.objects.filter(pk=registration.pk).update(attended_at=now, check_in_method=method)
    registration.attended_at, registration.check_in_method = now, method


def check_in(*, code: str, method: str = Registration.Method.CODE, actor=None, moment=None) -> Registration:
    """Record attendance with a participant's code. The code works once, and only inside the
    event's check-in window; every refusal says why, in Indonesian."""
    moment = moment or timezone.now()
    registration = (
        Registration.objects.filter(code=normalise_code(code)).select_related("event", "event__region").first()
    )
    if registration is None:
        raise ValidationError(_("Kode presensi tidak dikenal. Periksa kembali kode pada undangan atau tiket Anda."))
    event = registration.event
    if registration.status == Registration.Status.ATTENDED:
        raise ValidationError(
            _("Kode ini sudah dipakai: %(name)s tercatat hadir pukul %(time)s.")
            % {"name": registration.name, "time": _time(registration.attended_at)}
        )
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("Pendaftaran dengan kode ini sudah dibatalkan. Hubungi panitia."))
    if not event.check_in_is_open(moment):
        raise ValidationError(_window_message(event, moment))
    with transaction.atomic():
        # The conditional update inside apply() lets only one of two simultaneous check-ins win.
        REGISTRATION.apply(registration, "check_in", actor=actor, system=True, data={"method": method})
        _record_attendance(registration, method)
    return registration


def _time(moment) -> str:
    return date_format(timezone.localtime(moment), "TIME_FORMAT")


def _moment(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _day(moment) -> str:
    """The weekday, date and time, as a reminder says it: "Kamis, 10 Desember 2026, 09.00"."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'l, j F Y')}, {date_format(local, 'TIME_FORMAT')}"


def _window_message(event: Event, moment) -> str:
    if event.status not in Event.CHECK_IN_STATES:
        return _("Presensi %(title)s tidak dibuka (status kegiatan: %(status)s).") % {
            "title": event.title, "status": event.get_status_display()
        }  # fmt: skip
    values = {
        "title": event.title,
        "opens": _moment(event.check_in_opens_at),
        "closes": _moment(event.check_in_closes_at),
    }
    if moment < event.check_in_opens_at:
        return _("Presensi %(title)s belum dibuka; dibuka %(opens)s sampai %(closes)s.") % values
    return _("Presensi %(title)s sudah ditutup pada %(closes)s.") % values


# Certificates ------------------------------------------------------------------------------


def certificate_issue(*, registration: Registration, actor) -> Certificate:
    """The participant's certificate, issued once with the next number of the event."""
    existing = Certificate.objects.filter(registration=registration).first()
    if existing:
        return existing
    if registration.status != Registration.Status.ATTENDED:
        raise ValidationError(_("Sertifikat hanya untuk peserta yang hadir."))
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("organiser", "region").get(pk=registration.event_id)
        sequence = (event.certificates.aggregate(top=Max("sequence"))["top"] or 0) + 1
        year = timezone.localtime(event.starts_at).year
        organiser = event.organiser.short_name or event.organiser.name
        certificate = Certificate(
            registration=registration, event=event, sequence=sequence, issued_by=actor,
            number=f"{sequence:03d}/SERT-{CERTIFICATE_KIND_CODES[event.kind]}/{organiser}/{year}",
        )  # fmt: skip
        registration.event = event
        certificate.registration = registration
        pdf = documents.certificate_pdf(certificate)
        certificate.sha256 = hashlib.sha256(pdf).hexdigest()
        certificate.file.save(certificate.download_name, ContentFile(pdf), save=False)
        certificate.save()
    return certificate


def certificates_start(*, event: Event, actor):
    """Issue the certificates of every attendee in the background; the job offers them as a ZIP."""
    if not actor.has_perm("events.issue_certificates", event):
        raise ValidationError(_("Sertifikat dibuat setelah kegiatan berlangsung."))
    if not event.registrations.attended().exists():
        raise ValidationError(_("Belum ada peserta yang hadir."))
    label = _("Sertifikat %(title)s") % {"title": event.title[:150]}
    return _event_job(issue_certificates, "event_certificates", label, event, actor, "events:detail")


def _event_job(task_function, kind: str, label: str, event: Event, actor, back_to: str):
    return start_job(
        task=task_function, kind=kind, label=label, owner=actor, region=event.region,
        next_url=reverse(back_to, args=[event.pk]), event_id=event.pk, actor_id=actor.pk,
    )  # fmt: skip


def _job_subjects(event_id: int, actor_id: int) -> tuple[Event, object]:
    event = Event.objects.select_related("region", "organiser").get(pk=event_id)
    return event, get_user_model().objects.get(pk=actor_id)


@task()
def issue_certificates(job_id: str, event_id: int, actor_id: int) -> None:
    with running_job(job_id) as job:
        event, actor = _job_subjects(event_id, actor_id)
        attendees = list(event.registrations.attended().select_related("certificate").order_by("name"))
        archive, issued = io.BytesIO(), 0
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for done, registration in enumerate(attendees, start=1):
                certificate = getattr(registration, "certificate", None)
                if certificate is None:
                    certificate = certificate_issue(registration=registration, actor=actor)
                    issued += 1
                with certificate.file.open("rb") as stored:
                    bundle.writestr(f"{certificate.sequence:03d}-{slugify(registration.name)}.pdf", stored.read())
                job.step(done, len(attendees), registration.name)
        job.attach(f"sertifikat-{slugify(event.title)[:60]}.zip", archive.getvalue())
        job.set_result(issued=issued, total=len(attendees))


# Photos and materials ----------------------------------------------------------------------


def _stored(record: Photo | Material, *, uploaded, actor) -> Photo | Material:
    info = uploaded.upload_info  # set by core.forms.SafeFileField
    record.original_name, record.content_type, record.size = info.original_name, info.content_type, info.size
    record.sha256, record.uploaded_by = info.sha256, actor
    record.file.save(info.original_name, uploaded, save=False)
    record.full_clean(exclude=["file", "thumbnail"])
    record.save()
    return record


THUMBNAIL_BOX = (640, 640)


def _thumbnail(uploaded) -> ContentFile:
    """A JPEG of at most 640 px, turned upright as the phone took it."""
    from PIL import Image, ImageOps

    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            small = ImageOps.exif_transpose(image)
            small.thumbnail(THUMBNAIL_BOX)
            buffer = io.BytesIO()
            small.convert("RGB").save(buffer, "JPEG", quality=80, optimize=True)
    except (OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Foto tidak dapat diolah; unggah foto JPG/PNG biasa.")) from error
    finally:
        uploaded.seek(0)
    return ContentFile(buffer.getvalue())


@transaction.atomic
def photo_add(*, event: Event, actor, uploaded, caption: str, is_evidence: bool, innovation=None) -> Photo:
    if innovation is not None and innovation.region_id != event.region_id:
        raise ValidationError(_("Inovasi harus dari pemda yang sama."))
    thumbnail = _thumbnail(uploaded)
    photo = Photo(event=event, caption=caption, is_evidence=is_evidence, innovation=innovation)
    photo.thumbnail.save("foto.jpg", thumbnail, save=False)
    return _stored(photo, uploaded=uploaded, actor=actor)


@transaction.atomic
def material_add(*, event: Event, actor, uploaded, title: str) -> Material:
    return _stored(Material(event=event, title=title), uploaded=uploaded, actor=actor)


def stored_file_delete(*, record: Photo | Material, actor) -> None:
    """Remove a photo or material; a photo already attached as evidence stays in the library."""
    stored = [(f.storage, f.name) for f in (record.file, getattr(record, "thumbnail", None)) if f]

    def remove_files() -> None:
        for storage, name in stored:
            storage.delete(name)

    record.delete()
    transaction.on_commit(remove_files)


# Evidence ----------------------------------------------------------------------------------


def evidence_propose(*, event: Event) -> list[EvidenceProposal]:
    """Propose the innovations of the region whose team members attended (by roster entry or
    account). Existing proposals keep their decision; their attendee lists are refreshed."""
    attendees = list(event.registrations.attended())
    officials = {r.official_id: r for r in attendees if r.official_id}
    users = {r.user_id: r for r in attendees if r.user_id}
    members = TeamMember.objects.filter(
        Q(official_id__in=officials) | Q(user_id__in=users), innovation__region_id=event.region_id
    ).select_related("innovation")
    matched: dict[int, set[int]] = {}
    innovations = {}
    for member in members:
        registration = officials.get(member.official_id) or users.get(member.user_id)
        matched.setdefault(member.innovation_id, set()).add(registration.pk)
        innovations[member.innovation_id] = member.innovation
    existing = {p.innovation_id: p for p in event.proposals.all()}
    proposals = []
    with transaction.atomic():
        for innovation_id, registration_ids in matched.items():
            proposal = existing.get(innovation_id)
            if proposal is None:
                proposal = EvidenceProposal.objects.create(
                    event=event, innovation=innovations[innovation_id], indicator_code=event.evidence_indicator
                )
            proposal.attendees.set(registration_ids)
            proposals.append(proposal)
    return proposals


@transaction.atomic
def proposals_decide(
    *, event: Event, proposals, action: str, actor, year: int | None = None, note: str = "", attach: bool = True
):
    """Confirm or set aside several proposals at once. Confirming records the assessment year and
    (unless `attach` is False) starts the attach job; nothing unconfirmed is ever attached."""
    if action not in ("confirm", "dismiss", "reconsider", "withdraw"):
        raise ValidationError(_("Tindakan tidak dikenal."))
    if action == "confirm" and not year:
        raise ValidationError(_("Pilih tahun penilaian tujuan eviden."))
    proposals = list(proposals)
    for proposal in proposals:
        if proposal.event_id != event.pk:
            raise ValidationError(_("Usulan bukan milik kegiatan ini."))
        PROPOSAL.apply(proposal, action, actor=actor, note=note, data={"year": year} if action == "confirm" else None)
        if action == "confirm":
            proposal.year, proposal.last_error = year, ""
            proposal.save(update_fields=["year", "last_error", "updated_at"])
    if attach and action == "confirm" and proposals:
        return evidence_attach_start(event=event, actor=actor)
    return None


def evidence_attach_start(*, event: Event, actor):
    """Attach every confirmed proposal of the event in the background (PDFs take a while)."""
    label = _("Melampirkan eviden %(title)s") % {"title": event.title[:150]}
    return _event_job(attach_confirmed_evidence, "event_evidence", label, event, actor, "events:proposals")


@task()
def attach_confirmed_evidence(job_id: str, event_id: int, actor_id: int) -> None:
    with running_job(job_id) as job:
        event, actor = _job_subjects(event_id, actor_id)
        proposals = list(
            event.proposals.filter(status=EvidenceProposal.Status.CONFIRMED)
            .select_related("innovation")
            .prefetch_related("attendees")
        )
        attached = 0
        for done, proposal in enumerate(proposals, start=1):
            proposal.event = event
            try:
                proposal_attach(proposal=proposal, actor=actor)
                attached += 1
            except ValidationError as error:
                message = " ".join(error.messages)
                EvidenceProposal.objects.filter(pk=proposal.pk).update(last_error=message)
            job.step(done, len(proposals), proposal.innovation.name)
        job.set_result(attached=attached, failed=len(proposals) - attached)


def proposal_attach(*, proposal: EvidenceProposal, actor) -> list:
    """Store this proposal's evidence in the region's library and link it to the innovation's
    indicator row. Only a confirmed proposal gets here; all or nothing."""
    if proposal.status != EvidenceProposal.Status.CONFIRMED or not proposal.year:
        raise ValidationError(_("Hanya usulan yang sudah dikonfirmasi yang dilampirkan."))
    event = proposal.event
    with transaction.atomic():
        stored = [
            assessment_evidence.document_store(region=event.region, actor=actor, **spec)
            for spec in _evidence_files(proposal, actor)
        ]
        for document in stored:
            assessment_evidence.evidence_attach(
                document=document, innovation=proposal.innovation, indicator_code=proposal.indicator_code,
                year=proposal.year, actor=actor,
            )  # fmt: skip
        proposal.document_ids = [document.pk for document in stored]
        proposal.last_error = ""
        proposal.save(update_fields=["document_ids", "last_error", "updated_at"])
        PROPOSAL.apply(proposal, "attach", actor=actor, system=True, data={"documents": proposal.document_ids})
    return stored


def _evidence_files(proposal: EvidenceProposal, actor) -> list[dict]:
    """What `document_store` receives for this proposal: the paperwork set for bimtek and
    workshops (indicator 20), the documentation photos for socialisation (indicator 25)."""
    event = proposal.event
    year = timezone.localtime(event.starts_at).year
    common = {
        "year": year, "number": event.letter_number, "issued_on": event.letter_date or timezone.localdate(event.starts_at),
        "subject": event.title, "source": "events",
    }  # fmt: skip
    if event.kind == Event.Kind.SOCIALISATION:
        photos = event.photos.filter(is_evidence=True).filter(
            Q(innovation__isnull=True) | Q(innovation=proposal.innovation)
        )
        if not photos:
            raise ValidationError(_("Belum ada foto kegiatan yang ditandai sebagai eviden."))
        return [
            {**common, "title": _("Foto sosialisasi: %(caption)s") % {"caption": photo.caption}, "number": "",
             "file": _copy(photo)}
            for photo in photos
        ]  # fmt: skip
    certificates = [certificate_issue(registration=r, actor=actor) for r in proposal.attendees.order_by("name")]
    pdf = documents.evidence_set_pdf(event, certificates)
    name = f"eviden-{slugify(event.get_kind_display())[:20]}-{slugify(event.title)[:60]}.pdf"
    title = _("Undangan, daftar hadir dan sertifikat: %(title)s") % {"title": event.title}
    return [{**common, "title": title, "file": ContentFile(pdf, name=name)}]


def _copy(record: Photo) -> ContentFile:
    with record.file.open("rb") as stored:
        return ContentFile(stored.read(), name=record.original_name)

"""Certificates (PDF with a QR code anyone can check), the jury's minutes (berita acara), and
prize winners becoming innovation records whose award counts as evidence."""

from __future__ import annotations

import hashlib

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lumbung.accounts.models import User
from lumbung.assessment.evidence import allowed_evidence_years, document_store, evidence_attach, spd_row_for
from lumbung.assessment.models import Document, EvidenceLink, RegionAnswer
from lumbung.core.files import sha256_of
from lumbung.core.jobs import running_job, start_job
from lumbung.core.models import Job
from lumbung.core.pdf import render_pdf
from lumbung.core.tasks import task
from lumbung.innovations.models import Attachment, Innovation, TeamMember
from lumbung.innovations.services import innovation_create

from .models import Certificate, Competition, Entry, EntryEvent, JudgeAssignment, Result, Track
from .results import competition_standing, results_problems
from .services import _record

INITIATOR_OF_TRACK = {
    Track.UNITS: Innovation.InitiatorKind.UNIT,
    Track.CIVIL_SERVANTS: Innovation.InitiatorKind.CIVIL_SERVANT,
    Track.CITIZENS: Innovation.InitiatorKind.CITIZEN,
    Track.STUDENTS: Innovation.InitiatorKind.CITIZEN,
}


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("competitions:certificate-verify", args=[certificate.code])


def qr_svg(url: str) -> str:
    """The QR code as inline SVG: drawn offline, sharp in print."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2, omitsize=False))  # noqa: S308 - segno output


# Certificates ----------------------------------------------------------------------------------


def _award_title(entry: Entry, kind: str) -> str:
    competition = entry.competition
    if kind == Certificate.Kind.PARTICIPANT:
        title = _("Peserta %(competition)s") % {"competition": competition.title}
    else:
        title = _("%(prize)s %(competition)s") % {"prize": entry.result.prize_label, "competition": competition.title}
    if len(competition.tracks) > 1:
        title += " — " + _("Kategori %(track)s") % {"track": Track(entry.track).label}
    return title


def certificate_issue(*, entry: Entry, kind: str) -> Certificate:
    """The entry's valid certificate of this kind, made (and drawn) when missing."""
    certificate = entry.certificates.filter(kind=kind, revoked_at__isnull=True).first()
    if certificate is not None and certificate.file:
        return certificate
    if kind == Certificate.Kind.AWARD and not (hasattr(entry, "result") and entry.result.has_prize):
        raise ValidationError(_("Proposal ini tidak meraih penghargaan."))
    with transaction.atomic():
        certificate = certificate or Certificate.objects.create(
            competition=entry.competition, entry=entry, kind=kind, recipient_name=entry.entrant_name,
            award_title=_award_title(entry, kind),
        )  # fmt: skip
        url = verification_url(certificate)
        pdf = render_pdf(
            "competitions/pdf/certificate.html",
            {"certificate": certificate, "entry": entry, "competition": entry.competition, "url": url,
             "qr": qr_svg(url)},
        )  # fmt: skip
        certificate.file.save(certificate.download_name, ContentFile(pdf), save=False)
        certificate.sha256 = hashlib.sha256(pdf).hexdigest()
        certificate.save(update_fields=["file", "sha256"])
    return certificate


def _certificate_targets(competition: Competition, include_participants: bool) -> list[tuple[Entry, str]]:
    entries = (
        competition.entries.filter(status__in=[Entry.Status.ELIGIBLE, Entry.Status.ELIMINATED])
        .select_related("competition", "result")
        .order_by("number")
    )
    targets = []
    for entry in entries:
        if hasattr(entry, "result") and entry.result.has_prize:
            targets.append((entry, Certificate.Kind.AWARD))
        if include_participants:
            targets.append((entry, Certificate.Kind.PARTICIPANT))
    return targets


@task()
def build_certificates(job_id: str, competition_id: int, include_participants: bool) -> None:
    competition = Competition.objects.get(pk=competition_id)
    with running_job(job_id) as job:
        targets = _certificate_targets(competition, include_participants)
        job.step(0, len(targets))
        for done, (entry, kind) in enumerate(targets, start=1):
            certificate_issue(entry=entry, kind=kind)
            job.step(done, len(targets), message=entry.entrant_name)
        job.set_result(certificates=len(targets))


def _start(task, *, competition: Competition, actor: User, kind: str, label: str, **task_kwargs) -> Job:
    """A document job for the admin, who comes back to the results page when it is done."""
    return start_job(
        task=task, kind=kind, label=label, owner=actor, region=competition.region,
        next_url=reverse("competitions:manage-results", args=[competition.pk]), competition_id=competition.pk,
        retries=1,  # a document pack built again is the same pack: retried once after a dead worker
        **task_kwargs,
    )  # fmt: skip


def certificates_start(*, competition: Competition, actor: User, include_participants: bool) -> Job:
    if not actor.has_perm("competitions.manage_competition", competition):
        raise PermissionDenied
    if competition.status != Competition.Status.RESULTS:
        raise ValidationError(_("Sertifikat diterbitkan setelah hasil lomba diumumkan."))
    _record(competition, actor, "certificates", data={"participants": include_participants})
    label = _("Sertifikat %(title)s") % {"title": competition.title}
    return _start(build_certificates, competition=competition, actor=actor, kind="competition_certificates",
                  label=label, include_participants=include_participants)  # fmt: skip


def certificate_revoke(*, certificate: Certificate, actor: User, reason: str) -> None:
    """Withdraw a certificate (for example after a disqualification); its page says so."""
    if not actor.has_perm("competitions.manage_competition", certificate.competition):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan pencabutan."))
    with transaction.atomic():
        changed = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason.strip()
        )
        if changed:
            _record(certificate.competition, actor, "certificate_revoke", note=reason, data={"code": certificate.code})


def certificate_matches(certificate: Certificate, uploaded) -> bool:
    """Is the uploaded file byte for byte the certificate that was issued?"""
    return bool(certificate.sha256) and sha256_of(uploaded) == certificate.sha256


# Minutes (berita acara) ------------------------------------------------------------------------


def minutes_context(competition: Competition) -> dict:
    ordered, standings = competition_standing(competition)
    rounds = list(
        competition.rounds.order_by("order").prefetch_related(
            Prefetch("panels__members", queryset=User.objects.order_by("full_name")), "panels__lead"
        )
    )
    counts = {status: competition.entries.filter(status=status).count() for status in Entry.Status.values}
    judges = (
        User.objects.filter(
            judge_assignments__round__competition=competition, judge_assignments__status=JudgeAssignment.Status.ACTIVE
        )
        .distinct()
        .order_by("full_name")
    )
    return {
        "competition": competition,
        "rounds": rounds,
        "tracks": [(track, label, ordered.get(track, [])) for track, label in competition.track_choices],
        "scoring_rounds": competition.scoring_rounds,
        "counts": counts,
        "sent": sum(n for status, n in counts.items() if status not in (Entry.Status.DRAFT, Entry.Status.WITHDRAWN)),
        "judges": judges,
        "standings": standings,
        # The day of the plenary: when the results were fixed, or today for a draft of the minutes.
        "today": timezone.localtime(competition.results_published_at).date()
        if competition.results_published_at
        else timezone.localdate(),
    }


@task()
def build_minutes(job_id: str, competition_id: int) -> None:
    competition = Competition.objects.select_related("region", "organiser").get(pk=competition_id)
    with running_job(job_id) as job:
        job.step(0, 2, message=_("Menghitung peringkat"))
        context = minutes_context(competition)
        job.step(1, 2, message=_("Menyusun PDF"))
        pdf = render_pdf("competitions/pdf/minutes.html", context)
        job.attach(f"berita-acara-lomba-{competition.year}-{competition.pk}.pdf", pdf)
        job.step(2, 2)


def minutes_start(*, competition: Competition, actor: User) -> Job:
    if not actor.has_perm("competitions.manage_competition", competition):
        raise PermissionDenied
    problems = [] if competition.status == Competition.Status.RESULTS else results_problems(competition)
    if problems:
        raise ValidationError(problems)
    label = _("Berita acara %(title)s") % {"title": competition.title}
    return _start(build_minutes, competition=competition, actor=actor, kind="competition_minutes", label=label)


# Winners become innovation records -------------------------------------------------------------


def _innovation_from_entry(entry: Entry, *, actor: User, unit, form: str) -> Innovation:
    competition = entry.competition
    texts: dict[str, list[str]] = {}
    for section in competition.sections.all():
        if section.maps_to and entry.answer(section).strip():
            texts.setdefault(section.maps_to, []).append(entry.answer(section).strip())
    data = {
        "unit": entry.unit or unit, "name": entry.title, "stage": Innovation.Stage.INITIATIVE, "form": form,
        "initiator_kind": INITIATOR_OF_TRACK[entry.track], "initiator_name": entry.entrant_name,
        "main_affair": entry.affair, **{name: "\n\n".join(parts) for name, parts in texts.items()},
    }  # fmt: skip
    innovation = innovation_create(region=competition.region, actor=actor, data=data, join_team=False)
    TeamMember.objects.create(innovation=innovation, official=entry.official, user=entry.entrant,
                              role=TeamMember.Role.INITIATOR)  # fmt: skip
    TeamMember.objects.bulk_create(
        TeamMember(innovation=innovation, name=name[:200], role=TeamMember.Role.MEMBER) for name in entry.team_names
    )
    return innovation


def _attach_award(innovation: Innovation, certificate: Certificate, actor: User) -> None:
    # Written directly, not through innovations.services.attachment_add: an award is added by
    # the system even when the profile itself is locked in review or published.
    if innovation.attachments.filter(kind=Attachment.Kind.AWARD, sha256=certificate.sha256).exists():
        return
    with certificate.file.open("rb") as stored:
        content = stored.read()
    attachment = Attachment(
        innovation=innovation, kind=Attachment.Kind.AWARD, title=certificate.award_title[:200],
        original_name=certificate.download_name, content_type="application/pdf", size=len(content),
        sha256=certificate.sha256, uploaded_by=actor,
    )  # fmt: skip
    attachment.file.save(certificate.download_name, ContentFile(content), save=False)
    attachment.save()


def _certificate_document(certificate: Certificate, actor: User) -> Document:
    """The certificate filed in the region's evidence library (the same file is filed once)."""
    with certificate.file.open("rb") as stored:
        upload = SimpleUploadedFile(certificate.download_name, stored.read(), "application/pdf")
    competition = certificate.competition
    return document_store(
        region=competition.region, actor=actor, title=certificate.award_title[:200], year=competition.year,
        file=upload, number=certificate.code, issued_on=timezone.localtime(certificate.issued_at).date(),
        subject=_("Penghargaan bagi inovator: %(name)s") % {"name": certificate.recipient_name},
        source="competitions",
    )  # fmt: skip


def _store_evidence(certificate: Certificate, actor: User) -> str:
    """Put the certificate in the region's evidence library (the index asks for awards to
    innovators); returns a warning when that is not possible."""
    try:
        _certificate_document(certificate, actor)
    except ValidationError as error:
        return _("Sertifikat belum tersimpan sebagai eviden: %(error)s") % {"error": " ".join(error.messages)}
    return ""


def entry_convert(
    *, entry: Entry, actor: User, unit=None, form: str = Innovation.Form.PUBLIC_SERVICE
) -> tuple[Innovation, list[str]]:
    """Turn a prize winner into an innovation record (or keep the one it came from), attach
    the award certificate, and store it as evidence. Returns the record and any warnings.

    A new record is a draft at the initiative stage: the unit completes the stage, its dates
    and the evidence in the registry, where the record is reviewed like any other."""
    if not actor.has_perm("competitions.convert_entry", entry):
        raise PermissionDenied
    if not (hasattr(entry, "result") and entry.result.has_prize):
        raise ValidationError(_("Hanya proposal pemenang yang dijadikan data inovasi."))
    if entry.unit is None and unit is None:
        raise ValidationError(_("Pilih perangkat daerah pembina untuk inovasi dari masyarakat."))
    if entry.affair_id is None:
        raise ValidationError(_("Proposal ini belum memilih urusan pemerintahan."))
    certificate = certificate_issue(entry=entry, kind=Certificate.Kind.AWARD)
    with transaction.atomic():
        innovation = entry.innovation
        if innovation is None:
            innovation = _innovation_from_entry(entry, actor=actor, unit=unit, form=form)
            Entry.objects.filter(pk=entry.pk).update(innovation=innovation)
            entry.innovation = innovation
            EntryEvent.objects.create(
                entry=entry, actor=actor, action="convert", from_state=entry.status, to_state=entry.status,
                note=_("Dijadikan data inovasi."), data={"innovation": innovation.pk},
            )  # fmt: skip
        _attach_award(innovation, certificate, actor)
    warning = _store_evidence(certificate, actor)
    return innovation, [warning] if warning else []


def winners_convert(
    *, competition: Competition, actor: User, unit=None, form: str = Innovation.Form.PUBLIC_SERVICE
) -> tuple[list[Innovation], list[str]]:
    """The one action: every prize winner of the competition becomes (or is linked to) an
    innovation record."""
    winners = (
        Entry.objects.filter(competition=competition, result__prize__in=[Result.Prize.WINNER, Result.Prize.HONOURABLE])
        .select_related("competition__region", "result", "unit", "innovation")
        .order_by("result__track", "result__rank")
    )
    innovations, warnings = [], []
    for entry in winners:
        innovation, messages = entry_convert(entry=entry, actor=actor, unit=unit, form=form)
        innovations.append(innovation)
        warnings.extend(message for message in messages if message not in warnings)
    return innovations, warnings


# Award certificates as evidence of index indicator 12 ------------------------------------------

# SPD indicator "Penghargaan bagi inovator": certificates given to innovators prove its level.
AWARDS_INDICATOR = "12"


def award_certificates(competition: Competition):
    """The competition's valid award certificates that have been drawn."""
    return (
        competition.certificates.filter(kind=Certificate.Kind.AWARD, revoked_at__isnull=True)
        .exclude(file="")
        .select_related("entry", "competition__region")
        .order_by("entry__number")
    )


def awards_index_check(*, competition: Competition, year: int) -> tuple[RegionAnswer | None, list[str]]:
    """Indicator 12 of the region's assessment of `year`, and whatever stands in the way of
    attaching the award certificates to it (a list of messages, empty when nothing does)."""
    problems = []
    if competition.status != Competition.Status.RESULTS:
        problems.append(_("Sertifikat dilampirkan setelah hasil lomba diumumkan."))
    elif not award_certificates(competition).exists():
        problems.append(_("Belum ada sertifikat penghargaan; terbitkan sertifikat lebih dulu."))
    try:
        row = spd_row_for(region=competition.region, year=year, indicator_code=AWARDS_INDICATOR)
    except ValidationError as error:
        return None, [*problems, *error.messages]
    years = allowed_evidence_years(row)
    if years and competition.year not in years:
        problems.append(
            _("Sertifikat lomba tahun %(year)s; indikator 12 penilaian %(assessment)s meminta dokumen tahun %(years)s.")
            % {"year": competition.year, "assessment": year, "years": ", ".join(str(y) for y in sorted(years))}
        )
    return row, problems


def awards_attach_to_index(*, competition: Competition, year: int, actor: User) -> int:
    """Once the admin has confirmed: file every valid award certificate in the evidence library
    and attach it to SPD indicator 12 of the region's assessment of `year`, all or none. Returns
    the number of new attachments (a certificate already attached is left as it is)."""
    if not actor.has_perm("competitions.manage_competition", competition):
        raise PermissionDenied
    row, problems = awards_index_check(competition=competition, year=year)
    if problems:
        raise ValidationError(problems)
    filed: list[Document] = []
    try:
        with transaction.atomic():
            created = 0
            for certificate in award_certificates(competition):
                document = _certificate_document(certificate, actor)
                if not document.reused:
                    filed.append(document)
                attached = EvidenceLink.objects.filter(document=document, region_answer=row).exists()
                evidence_attach(
                    document=document, innovation=None, indicator_code=AWARDS_INDICATOR, year=year, actor=actor
                )
                created += not attached
            _record(competition, actor, "index_evidence", data={"year": year, "attached": created})
    except BaseException:
        # Files stored for documents whose rows were rolled back are removed again.
        for document in filed:
            document.file.delete(save=False)
        raise
    return created

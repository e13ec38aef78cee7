"""Setting up a competition, entering it, and judging it. Results, certificates and minutes
are in results.py and documents.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.accounts.models import User
from lumbung.innovations.models import Innovation
from lumbung.notifications.services import notify
from lumbung.organisation.models import Unit

from .eligibility import SubmissionContext, submission_problems, tracks_open_to
from .models import (
    Competition,
    CompetitionEvent,
    Criterion,
    Entry,
    EntryAttachment,
    EntryEvent,
    Round,
    Rubric,
    Section,
    Track,
)
from .phases import PhaseKind
from .rubrics import PRESETS
from .workflows import COMPETITION, ENTRY

MAX_ATTACHMENTS = 10

# (title, guidance, word limit, innovation field) — the KIPP proposal outline, shortened.
DEFAULT_SECTIONS = (
    ("Ringkasan", "Gambaran singkat inovasi: apa, untuk siapa, dan apa hasilnya.", 200, ""),
    ("Latar belakang dan permasalahan", "Masalah apa yang diselesaikan dan siapa yang mengalaminya.", 400, "problem"),
    ("Ide inovatif dan kebaruan", "Apa yang baru dibanding cara lama atau praktik di tempat lain.", 600, "novelty"),
    (
        "Cara kerja inovasi",
        "Langkah-langkah pelaksanaan, pihak yang terlibat, dan sarana yang dipakai.",
        400,
        "workflow",
    ),
    ("Manfaat dan hasil", "Hasil yang sudah dicapai, sebaiknya dengan angka.", 600, "benefits"),
    ("Keberlanjutan dan replikasi", "Dukungan anggaran, aturan, dan kemungkinan ditiru di tempat lain.", 400, ""),
)


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _record(competition: Competition, actor, action: str, note: str = "", data: dict | None = None):
    """An event row for a change that is not a state transition (schedule, judges, ...)."""
    return CompetitionEvent.objects.create(
        competition=competition,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_state=competition.status,
        to_state=competition.status,
        note=note,
        data=data or {},
    )


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


# Setting up ------------------------------------------------------------------------------------


@transaction.atomic
def competition_create(
    *,
    region,
    actor: User,
    data: Mapping,
    submission_opens: dt.datetime,
    submission_closes: dt.datetime,
    screening_closes: dt.datetime,
) -> Competition:
    """A draft competition with its submission and screening rounds and the default sections."""
    competition = Competition(region=region, created_by=actor, **data)
    competition.full_clean()
    competition.save()
    Round.objects.create(
        competition=competition,
        kind=PhaseKind.SUBMISSION,
        order=1,
        opens_at=submission_opens,
        closes_at=submission_closes,
    )
    Round.objects.create(
        competition=competition,
        kind=PhaseKind.SCREENING,
        order=2,
        opens_at=submission_closes,
        closes_at=screening_closes,
    )
    _check_schedule(competition)
    Section.objects.bulk_create(
        Section(competition=competition, title=title, guidance=guidance, word_limit=limit, maps_to=field, order=order)
        for order, (title, guidance, limit, field) in enumerate(DEFAULT_SECTIONS, start=1)
    )
    _record(competition, actor, "create", note=_("Lomba dibuat."))
    return competition


def competition_update(*, competition: Competition, actor: User, data: Mapping) -> Competition:
    """Change the call's text; the tracks and judging settings only while it is a draft."""
    _require(actor, "competitions.manage_competition", competition)
    locked = {"tracks", "aggregation", "judges_per_entry", "winners_per_track", "honourable_per_track", "blind"}
    changed = [name for name, value in data.items() if getattr(competition, name) != value]
    if not competition.is_editable and locked.intersection(changed):
        raise ValidationError(_("Kategori dan aturan penilaian tidak dapat diubah setelah lomba diumumkan."))
    if competition.status in (Competition.Status.RESULTS, Competition.Status.CANCELLED):
        raise ValidationError(_("Lomba yang sudah selesai atau dibatalkan tidak dapat diubah."))
    for name, value in data.items():
        setattr(competition, name, value)
    competition.full_clean()
    with transaction.atomic():
        competition.save()
        if changed:
            _record(competition, actor, "update", data={"fields": sorted(changed)})
    return competition


def publish_problems(competition: Competition) -> list[str]:
    """What still keeps a draft from being announced."""
    problems = []
    if not competition.tracks:
        problems.append(_("Pilih setidaknya satu kategori peserta."))
    scoring = competition.scoring_rounds
    if not scoring:
        problems.append(_("Tambahkan setidaknya satu babak penilaian dengan rubrik."))
    for round_ in scoring:
        if round_.rubric_id is None:
            problems.append(_("Babak “%(round)s” belum memiliki rubrik.") % {"round": round_.title})
    if scoring and sum(r.weight for r in scoring) <= 0:
        problems.append(_("Beri bobot nilai akhir pada setidaknya satu babak penilaian."))
    if not competition.sections.exists():
        problems.append(_("Proposal belum memiliki bagian isian."))
    if competition.submission_round and competition.submission_round.has_closed():
        problems.append(_("Batas pengiriman proposal sudah lewat; geser jadwalnya dahulu."))
    return problems


def competition_transition(*, competition: Competition, action: str, actor: User, note: str = "") -> None:
    with transaction.atomic():
        if action == "publish":
            problems = publish_problems(competition)
            if problems:
                raise ValidationError(problems)
            COMPETITION.apply(competition, "publish", actor=actor, note=note)
            competition.published_at = timezone.now()
            competition.save(update_fields=["published_at"])
        elif action == "publish_results":
            from .results import results_publish

            results_publish(competition=competition, actor=actor, note=note)
        else:
            COMPETITION.apply(competition, action, actor=actor, note=note)
    if action == "cancel":
        entrants = User.objects.filter(competition_entries__competition=competition).distinct()
        notify(
            recipients=entrants,
            title=_("Lomba %(title)s dibatalkan") % {"title": competition.title},
            body=note,
            url=reverse("competitions:call", args=[competition.pk]),
            region=competition.region,
        )


def _check_schedule(competition: Competition) -> None:
    """Rounds follow each other without overlapping: submission, screening, then scoring."""
    rounds = list(competition.rounds.order_by("order"))
    competition.__dict__.pop("round_list", None)
    kinds = [r.kind for r in rounds]
    if kinds[:2] != [PhaseKind.SUBMISSION, PhaseKind.SCREENING] or PhaseKind.SUBMISSION in kinds[2:]:
        raise ValidationError(_("Urutan babak harus: pengiriman proposal, seleksi administrasi, lalu babak penilaian."))
    for earlier, later in zip(rounds, rounds[1:], strict=False):
        if later.opens_at < earlier.closes_at:
            raise ValidationError(
                _("Babak “%(later)s” tidak boleh dibuka sebelum babak “%(earlier)s” ditutup (%(closes)s).")
                % {
                    "later": later.title,
                    "earlier": earlier.title,
                    "closes": timezone.localtime(earlier.closes_at).strftime("%d-%m-%Y %H.%M"),
                }
            )
    for round_ in rounds:
        if round_.closes_at <= round_.opens_at:
            raise ValidationError(_("Babak “%(round)s” harus ditutup setelah dibuka.") % {"round": round_.title})


ROUND_FIELDS = ("kind", "name", "opens_at", "closes_at", "rubric", "weight", "advance_count")


@transaction.atomic
def round_save(*, competition: Competition, actor: User, data: Mapping, round_: Round | None = None) -> Round:
    """Add a scoring round, or change a round. Once the call is published only what has not
    happened yet may move: a round that has not opened, a deadline that has not passed."""
    _require(actor, "competitions.manage_competition", competition)
    now = timezone.now()
    if competition.status not in (Competition.Status.DRAFT, Competition.Status.PUBLISHED):
        raise ValidationError(_("Jadwal lomba yang sudah selesai tidak dapat diubah."))
    if round_ is None:
        if not competition.is_editable:
            raise ValidationError(_("Babak baru hanya dapat ditambahkan sebelum lomba diumumkan."))
        if data.get("kind") not in {
            k for k in PhaseKind.values if k not in (PhaseKind.SUBMISSION, PhaseKind.SCREENING)
        }:
            raise ValidationError(_("Babak tambahan harus babak penilaian."))
        last = competition.rounds.aggregate(order=Max("order"))["order"] or 0
        round_ = Round(competition=competition, order=last + 1)
        changed = list(ROUND_FIELDS)
    else:
        changed = [name for name in ROUND_FIELDS if name in data and getattr(round_, name) != data[name]]
        if not competition.is_editable:
            _check_published_round_change(round_, changed, data, now)
    if "rubric" in data and data["rubric"] is not None and data["rubric"].region_id != competition.region_id:
        raise ValidationError(_("Rubrik harus milik pemda yang sama."))
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round_, name, data[name])
    if round_.is_scoring and round_.rubric_id is None and not competition.is_editable:
        raise ValidationError(_("Babak penilaian memerlukan rubrik."))
    round_.full_clean()
    round_.save()
    _check_schedule(competition)
    if changed:
        _record(competition, actor, "round", data={"round": round_.pk, "fields": changed})
    return round_


def _check_published_round_change(round_: Round, changed: list[str], data: Mapping, now) -> None:
    if "kind" in changed:
        raise ValidationError(_("Jenis babak tidak dapat diubah setelah lomba diumumkan."))
    if ("opens_at" in changed or "rubric" in changed) and round_.opens_at <= now:
        raise ValidationError(_("Babak yang sudah dibuka tidak dapat diubah waktu mulai atau rubriknya."))
    if "closes_at" in changed and (round_.closes_at <= now or data["closes_at"] <= now):
        raise ValidationError(_("Babak yang sudah ditutup tidak dapat dibuka kembali."))
    if "advance_count" in changed and round_.advanced_at:
        raise ValidationError(_("Peserta yang lanjut dari babak ini sudah ditetapkan."))


@transaction.atomic
def round_delete(*, round_: Round, actor: User) -> None:
    competition = round_.competition
    _require(actor, "competitions.manage_competition", competition)
    if not competition.is_editable or not round_.is_scoring:
        raise ValidationError(_("Hanya babak penilaian pada lomba yang masih draf yang dapat dihapus."))
    title = round_.title
    round_.delete()
    for order, remaining in enumerate(competition.rounds.order_by("order"), start=1):
        if remaining.order != order:
            Round.objects.filter(pk=remaining.pk).update(order=order)
    _record(competition, actor, "round_delete", note=title)


def section_save(*, competition: Competition, actor: User, data: Mapping, section: Section | None = None) -> Section:
    _require(actor, "competitions.manage_competition", competition)
    if not competition.is_editable:
        raise ValidationError(_("Bagian proposal tidak dapat diubah setelah lomba diumumkan."))
    section = section or Section(competition=competition)
    for name, value in data.items():
        setattr(section, name, value)
    section.full_clean()
    section.save()
    return section


def section_delete(*, section: Section, actor: User) -> None:
    _require(actor, "competitions.manage_competition", section.competition)
    if not section.competition.is_editable:
        raise ValidationError(_("Bagian proposal tidak dapat diubah setelah lomba diumumkan."))
    section.delete()


# Rubrics ---------------------------------------------------------------------------------------


def _locked_rubric_error() -> ValidationError:
    return ValidationError(
        _("Rubrik ini sudah dipakai menilai sehingga terkunci; salin rubrik untuk membuat versi baru.")
    )


def rubric_save(*, region, actor: User, data: Mapping, rubric: Rubric | None = None) -> Rubric:
    rubric = rubric or Rubric(region=region, created_by=actor)
    _require(actor, "competitions.manage_rubric", rubric)
    if rubric.pk and rubric.is_locked:
        raise _locked_rubric_error()
    for name, value in data.items():
        setattr(rubric, name, value)
    rubric.full_clean()
    rubric.save()
    return rubric


@transaction.atomic
def rubric_from_preset(*, region, actor: User, code: str) -> Rubric:
    _require(actor, "competitions.manage_rubric", Rubric(region=region))
    preset = PRESETS.get(code)
    if preset is None:
        raise ValidationError(_("Templat rubrik tidak dikenal."))
    rubric = Rubric.objects.create(
        region=region,
        created_by=actor,
        name=str(preset.name),
        description=str(preset.description),
        scale_min=preset.scale_min,
        scale_max=preset.scale_max,
        preset=preset.code,
    )
    Criterion.objects.bulk_create(
        Criterion(rubric=rubric, name=str(c.name), description=str(c.description), weight=c.weight,
                  levels=[str(level) for level in c.levels], order=order)
        for order, c in enumerate(preset.criteria, start=1)
    )  # fmt: skip
    return rubric


@transaction.atomic
def rubric_copy(*, rubric: Rubric, actor: User) -> Rubric:
    _require(actor, "competitions.manage_rubric", rubric)
    copy = Rubric.objects.create(
        region=rubric.region,
        created_by=actor,
        name=(_("%(name)s (salinan)") % {"name": rubric.name})[:200],
        description=rubric.description,
        scale_min=rubric.scale_min,
        scale_max=rubric.scale_max,
        preset=rubric.preset,
    )
    Criterion.objects.bulk_create(
        Criterion(rubric=copy, name=c.name, description=c.description, weight=c.weight, levels=c.levels, order=c.order)
        for c in rubric.criteria.all()
    )
    return copy


def criterion_save(*, rubric: Rubric, actor: User, data: Mapping, criterion: Criterion | None = None) -> Criterion:
    _require(actor, "competitions.manage_rubric", rubric)
    if rubric.is_locked:
        raise _locked_rubric_error()
    criterion = criterion or Criterion(rubric=rubric)
    for name, value in data.items():
        setattr(criterion, name, value)
    expected = len(rubric.scale)
    if criterion.levels and len(criterion.levels) != expected:
        raise ValidationError(
            {"levels": _("Tulis %(count)s uraian, satu untuk setiap nilai %(low)s sampai %(high)s.")
             % {"count": expected, "low": rubric.scale_min, "high": rubric.scale_max}}
        )  # fmt: skip
    criterion.full_clean()
    criterion.save()
    return criterion


def criterion_delete(*, criterion: Criterion, actor: User) -> None:
    _require(actor, "competitions.manage_rubric", criterion.rubric)
    if criterion.rubric.is_locked:
        raise _locked_rubric_error()
    criterion.delete()


# Entering --------------------------------------------------------------------------------------


def entry_units(user, competition: Competition):
    """Units an operator may enter for (the units operated and the units below them)."""
    paths = user.operator_unit_paths(competition.region_id)
    if not paths:
        return Unit.objects.none()
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return Unit.objects.filter(query, region_id=competition.region_id, is_active=True)


def innovation_choices(user, competition: Competition, track: str):
    """Innovation records the user may start a proposal from."""
    innovations = Innovation.objects.filter(region_id=competition.region_id).select_related("unit")
    if track == Track.UNITS:
        return innovations.filter(unit__in=entry_units(user, competition))
    query = Q(created_by=user) | Q(team__user=user)
    if user.official_id:
        query |= Q(team__official_id=user.official_id)
    return innovations.filter(query).distinct()


@transaction.atomic
def entry_start(
    *,
    competition: Competition,
    actor: User,
    track: str,
    title: str,
    unit: Unit | None = None,
    innovation: Innovation | None = None,
) -> Entry:
    """Open a draft proposal, optionally filled from an existing innovation record."""
    _require(actor, "competitions.enter_competition", competition)
    if track not in tracks_open_to(actor, competition):
        raise ValidationError(_("Akun Anda tidak dapat mengikuti kategori ini."))
    entry = Entry(competition=competition, track=track, entrant=actor, title=title.strip(), phone=actor.phone)
    if track == Track.UNITS:
        if unit is None or not entry_units(actor, competition).filter(pk=unit.pk).exists():
            raise ValidationError(_("Pilih perangkat daerah yang Anda kelola."))
        entry.unit, entry.entrant_name = unit, unit.name
    elif track == Track.CIVIL_SERVANTS:
        post = actor.official.assignment_on(timezone.localdate())
        entry.official, entry.entrant_name = actor.official, actor.official.name
        entry.unit = post.unit if post else None
    else:
        entry.entrant_name = actor.full_name
    if innovation is not None:
        if not innovation_choices(actor, competition, track).filter(pk=innovation.pk).exists():
            raise ValidationError(_("Data inovasi itu tidak dapat Anda pakai."))
        _fill_from_innovation(entry, innovation)
    entry.full_clean()
    entry.save()
    EntryEvent.objects.create(entry=entry, actor=actor, action="create", to_state=entry.status)
    return entry


def _fill_from_innovation(entry: Entry, innovation: Innovation) -> None:
    entry.innovation = innovation
    entry.title = entry.title or innovation.name
    entry.affair_id = innovation.main_affair_id
    entry.answers = {
        section.key: getattr(innovation, section.maps_to)
        for section in entry.competition.sections.all()
        if section.maps_to and getattr(innovation, section.maps_to)
    }


ENTRY_FIELDS = ("title", "institution", "phone", "team", "affair", "video_url", "publish_consent")


def entry_autosave(*, entry: Entry, actor: User, data: Mapping, answers: Mapping[str, str]) -> Entry:
    """Keep what a drafting entrant typed; nothing is checked but that the draft may change."""
    _require(actor, "competitions.change_entry", entry)
    if entry.status != Entry.Status.DRAFT:
        raise ValidationError(_("Penyimpanan otomatis hanya untuk draf."))
    _assign(entry, data, answers)
    entry.save()
    return entry


def _assign(entry: Entry, data: Mapping, answers: Mapping[str, str], *, before: Entry | None = None) -> list[str]:
    """Put the proposal's data and answers on `entry`; the names of what changed compared with
    `before` (the stored proposal: the entry form writes its values onto the instance it edits)."""
    before = before or entry
    changed = [name for name in ENTRY_FIELDS if name in data and getattr(before, name) != data[name]]
    for name in ENTRY_FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    valid_keys = {section.key for section in entry.competition.sections.all()}
    new_answers = {key: text for key, text in answers.items() if key in valid_keys}
    changed += [
        f"section:{key}" for key in sorted(valid_keys) if before.answers.get(key, "") != new_answers.get(key, "")
    ]
    entry.answers = new_answers
    return changed


def _submission_context(entry: Entry) -> SubmissionContext:
    competition = entry.competition
    others = competition.entries.sent().exclude(pk=entry.pk)
    same_entrant = (
        others.filter(unit=entry.unit) if entry.track == Track.UNITS else others.filter(entrant=entry.entrant)
    )
    return SubmissionContext(
        sections=list(competition.sections.all()),
        other_titles=list(others.values_list("title", flat=True)),
        sent_by_entrant=same_entrant.count(),
        entries_per_entrant=competition.entries_per_entrant,
    )


def entry_problems(entry: Entry) -> list[str]:
    return submission_problems(entry, _submission_context(entry))


def _fingerprint(entry: Entry) -> str:
    """A checksum of what was sent, printed on the receipt: proof of the submitted content."""
    content = {
        "title": entry.title,
        "answers": [entry.answer(s) for s in entry.competition.sections.all()],
        "attachments": sorted(entry.attachments.values_list("sha256", flat=True)),
        "video": entry.video_url,
        "team": entry.team,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def entry_update(*, entry: Entry, actor: User, data: Mapping, answers: Mapping[str, str]) -> Entry:
    """Save the proposal; a proposal already sent must stay complete and gets a new receipt."""
    _require(actor, "competitions.change_entry", entry)
    with transaction.atomic():
        changed = _assign(entry, data, answers, before=Entry.objects.get(pk=entry.pk))
        if entry.status == Entry.Status.SUBMITTED:
            problems = entry_problems(entry)
            if problems:
                raise ValidationError(problems)
            entry.content_sha256 = _fingerprint(entry)
        entry.full_clean()
        entry.save()
        if entry.status == Entry.Status.SUBMITTED and changed:
            EntryEvent.objects.create(
                entry=entry, actor=actor, action="edit", from_state=entry.status, to_state=entry.status,
                note=_("Proposal diubah sebelum batas waktu."), data={"fields": changed},
            )  # fmt: skip
            _send_receipt(entry, updated=True)
    return entry


def entry_submit(*, entry: Entry, actor: User) -> Entry:
    """Send the proposal: check it, number it, and give the entrant a receipt."""
    if not ENTRY.may(actor, entry, "submit"):
        raise PermissionDenied
    with transaction.atomic():
        # Numbers are handed out one at a time per competition.
        Competition.objects.select_for_update().filter(pk=entry.competition_id).first()
        problems = entry_problems(entry)
        if problems:
            raise ValidationError(problems)
        last = entry.competition.entries.aggregate(number=Max("number"))["number"] or 0
        entry.number = last + 1
        entry.submitted_at = timezone.now()
        entry.receipt_code = f"L{entry.competition_id}-{entry.number:04d}-{secrets.token_hex(3).upper()}"
        entry.content_sha256 = _fingerprint(entry)
        entry.save(update_fields=["number", "submitted_at", "receipt_code", "content_sha256", "updated_at"])
        ENTRY.apply(entry, "submit", actor=actor, data={"receipt": entry.receipt_code})
        _send_receipt(entry)
    return entry


def _send_receipt(entry: Entry, *, updated: bool = False) -> None:
    url = reverse("competitions:entry-receipt", args=[entry.pk])
    body = render_to_string("competitions/email/receipt.txt", {"entry": entry, "url": _site(url), "updated": updated})
    subject = _("Tanda terima proposal %(code)s") % {"code": entry.receipt_code}
    email = entry.entrant.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    notify(recipients=[entry.entrant], title=subject, url=url, region=entry.competition.region, email=False)


def entry_withdraw(*, entry: Entry, actor: User, note: str = "") -> None:
    ENTRY.apply(entry, "withdraw", actor=actor, note=note)


@transaction.atomic
def attachment_add(*, entry: Entry, actor: User, uploaded, title: str) -> EntryAttachment:
    _require(actor, "competitions.change_entry", entry)
    if entry.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("Sebuah proposal paling banyak memuat %(count)s lampiran.") % {"count": MAX_ATTACHMENTS}
        )
    info = uploaded.upload_info
    attachment = EntryAttachment(
        entry=entry, title=title.strip() or info.original_name, original_name=info.original_name,
        content_type=info.content_type, size=info.size, sha256=info.sha256, uploaded_by=actor,
    )  # fmt: skip
    attachment.file.save(info.original_name, uploaded, save=False)
    attachment.save()
    _touch_sent_entry(entry, actor, _("Lampiran ditambahkan: %(name)s") % {"name": attachment.title})
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: EntryAttachment, actor: User) -> None:
    entry = attachment.entry
    _require(actor, "competitions.change_entry", entry)
    title = attachment.title
    attachment.file.delete(save=False)
    attachment.delete()
    _touch_sent_entry(entry, actor, _("Lampiran dihapus: %(name)s") % {"name": title})


def _touch_sent_entry(entry: Entry, actor: User, note: str) -> None:
    """Attachments are part of the sent content: refresh its checksum and keep a trace."""
    if entry.status != Entry.Status.SUBMITTED:
        return
    entry.content_sha256 = _fingerprint(entry)
    entry.save(update_fields=["content_sha256", "updated_at"])
    EntryEvent.objects.create(entry=entry, actor=actor, action="edit", from_state=entry.status, to_state=entry.status,
                              note=note)  # fmt: skip


def entry_screen(*, entry: Entry, actor: User, action: str, note: str = "") -> None:
    """The administrative check: pass (into the first scoring round), fail with reasons, or
    reconsider a decision while the screening round is open."""
    if action not in ("pass", "fail", "reconsider"):
        raise ValidationError(_("Tindakan seleksi tidak dikenal."))
    with transaction.atomic():
        ENTRY.apply(entry, action, actor=actor, note=note)
        first = entry.competition.scoring_rounds[0] if entry.competition.scoring_rounds else None
        entry.reached_round = first if action == "pass" else None
        entry.save(update_fields=["reached_round", "updated_at"])
    if action != "reconsider":
        verdict = _("lolos") if action == "pass" else _("tidak lolos")
        notify(
            recipients=[entry.entrant],
            title=_("Proposal “%(title)s” %(verdict)s seleksi administrasi")
            % {"title": entry.title, "verdict": verdict},
            body=note,
            url=reverse("competitions:entry-detail", args=[entry.pk]),
            region=entry.competition.region,
        )

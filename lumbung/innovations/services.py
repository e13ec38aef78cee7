"""Operations on innovations: create and edit the profile, the team and attachments, move it
through review, confirm it still runs, and remind programme laggards."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lumbung.accounts.models import RoleAssignment, User
from lumbung.core.roles import Role
from lumbung.notifications.services import notify

from . import quotas
from .compliance import Row, programme_compliance, with_last_reminders
from .models import Attachment, Innovation, InnovationEvent, Programme, ProgrammeReminder, TeamMember
from .workflows import (
    ATTACHMENT_ADD,
    ATTACHMENT_DELETE,
    CONTINUITY,
    REVIEW,
    STAGE_ACTION,
    STOPPED,
    TEAM_ADD,
    TEAM_REMOVE,
)

# Fields of the profile a form may write; everything else is set by the services.
PROFILE_FIELDS = (
    "unit", "name", "stage", "initiator_kind", "initiator_name", "is_digital", "form", "theme", "main_affair",
    "trial_date", "implementation_date", "development_date", *Innovation.DESIGN_FIELDS, "goals", "benefits",
    "results", "latitude", "longitude", "replicates",
)  # fmt: skip


def _apply_profile(innovation: Innovation, data: dict) -> None:
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(innovation, name, data[name])


def _record(innovation: Innovation, actor, action: str, **data) -> InnovationEvent:
    """A history row for a change outside the review workflow: the status stays as it is."""
    return InnovationEvent.objects.create(
        innovation=innovation, actor=actor, action=action, from_state=innovation.status,
        to_state=innovation.status, data=data,
    )  # fmt: skip


def _record_member(member: TeamMember, actor, action: str) -> None:
    _record(
        member.innovation, actor, action, name=member.display_name, role=member.role, official_id=member.official_id
    )


def _record_attachment(attachment: Attachment, actor, action: str) -> None:
    _record(
        attachment.innovation, actor, action, title=str(attachment), kind=attachment.kind,
        original_name=attachment.original_name, sha256=attachment.sha256,
    )  # fmt: skip


def _store_attachment(*, innovation: Innovation, actor, kind: str, title: str, uploaded) -> Attachment:
    info = uploaded.upload_info  # set by core.forms.SafeFileField
    attachment = Attachment(
        innovation=innovation, kind=kind, title=title, original_name=info.original_name,
        content_type=info.content_type, size=info.size, sha256=info.sha256, uploaded_by=actor,
    )  # fmt: skip
    attachment.file.save(info.original_name, uploaded, save=False)
    attachment.full_clean(exclude=["file"])
    attachment.save()
    _record_attachment(attachment, actor, ATTACHMENT_ADD)
    return attachment


@transaction.atomic
def innovation_create(
    *,
    region,
    actor: User,
    data: dict,
    related_affairs=(),
    attachment: tuple | None = None,
    join_team: bool = True,
    event_action: str = "create",
) -> Innovation:
    """Register a draft innovation; with `join_team` the author, when on the roster, joins the
    team as its owner (an admin importing a sheet does not)."""
    innovation = Innovation(region=region, created_by=actor)
    _apply_profile(innovation, data)
    innovation.full_clean(exclude=["search_vector"])
    innovation.save()
    innovation.related_affairs.set(related_affairs)
    InnovationEvent.objects.create(
        innovation=innovation, actor=actor, action=event_action, from_state="", to_state=innovation.status
    )
    if join_team and actor.official_id and actor.official.region_id == region.pk:
        member = TeamMember.objects.create(
            innovation=innovation, official_id=actor.official_id, role=TeamMember.Role.OWNER
        )
        _record_member(member, actor, TEAM_ADD)
    if attachment:
        kind, title, uploaded = attachment
        _store_attachment(innovation=innovation, actor=actor, kind=kind, title=title, uploaded=uploaded)
    return innovation


class StaleEditError(ValidationError):
    """The record was saved by someone else after this form was opened; `version` is the current one."""

    def __init__(self, message, *, version: int):
        super().__init__(message, code="stale")
        self.version = version


def _stale_edit(innovation: Innovation, data: dict) -> StaleEditError:
    """What the other person's save left in the fields, where it differs from what was typed."""
    current = Innovation.objects.select_related("unit", "main_affair").get(pk=innovation.pk)
    differences = []
    for name in PROFILE_FIELDS:
        if name in data and getattr(current, name) != data[name]:
            value = getattr(current, name)
            shown = "—" if value in (None, "") else str(value)
            label = str(Innovation._meta.get_field(name).verbose_name)
            differences.append(f"{label[:1].upper()}{label[1:]}: “{shown[:160]}{'…' if len(shown) > 160 else ''}”")
    last = current.history.select_related("history_user").first()
    who = last.history_user.get_full_name() if last and last.history_user else _("pengguna lain")
    when = date_format(timezone.localtime(current.updated_at), "j F Y H.i")
    message = _(
        "Inovasi ini sudah diubah oleh %(who)s pada %(when)s, setelah Anda membuka formulir ini. Perubahan Anda "
        "belum disimpan agar tidak menimpa perubahan itu."
    ) % {"who": who, "when": when}
    if differences:
        message += " " + _("Isi yang tersimpan sekarang berbeda pada: %(fields)s.") % {"fields": "; ".join(differences)}
    message += " " + _("Periksa isian Anda, lalu simpan lagi bila isian Anda yang benar.")
    return StaleEditError(message, version=current.version)


@transaction.atomic
def innovation_update(
    *,
    innovation: Innovation,
    actor: User,
    data: dict,
    related_affairs=(),
    attachment: tuple | None = None,
    version: int | None = None,
) -> Innovation:
    """Save the profile. With `version` (the one the form was opened at), a record saved by someone
    else since then is not overwritten: StaleEditError says what is saved now."""
    if not innovation.is_editable:
        raise ValidationError(
            _("Inovasi dengan status %(status)s tidak dapat diubah.") % {"status": innovation.get_status_display()}
        )
    if version is not None:
        # A conditional UPDATE: of two saves from the same version, exactly one wins.
        if not Innovation.objects.filter(pk=innovation.pk, version=version).update(version=F("version") + 1):
            raise _stale_edit(innovation, data)
        innovation.version = version + 1
    # The form may have written the new values onto the instance already: ask the database.
    stage_before = Innovation.objects.filter(pk=innovation.pk).values_list("stage", flat=True).get()
    _apply_profile(innovation, data)
    innovation.full_clean(exclude=["search_vector"])
    innovation.save()
    innovation.related_affairs.set(related_affairs)
    if innovation.stage != stage_before:
        InnovationEvent.objects.create(
            innovation=innovation, actor=actor, action=STAGE_ACTION, from_state=stage_before, to_state=innovation.stage
        )
    if attachment:
        kind, title, uploaded = attachment
        _store_attachment(innovation=innovation, actor=actor, kind=kind, title=title, uploaded=uploaded)
    return innovation


def _people_to_tell(innovation: Innovation) -> list[User]:
    """The innovation's owners (their accounts) and the operators of its unit and the units above."""
    owners = TeamMember.objects.filter(innovation=innovation, role=TeamMember.Role.OWNER)
    users = list(User.objects.filter(innovation_roles__in=owners.filter(user__isnull=False)))
    users += list(User.objects.filter(official__innovation_roles__in=owners.filter(official__isnull=False)))
    operators = RoleAssignment.objects.filter(
        role=Role.OPERATOR,
        region_id=innovation.region_id,
        is_active=True,
        unit_id__in=quotas.path_ids(innovation.unit.path) if innovation.unit_id else [],  # a citizen's: no unit
    ).select_related("user")
    users += [assignment.user for assignment in operators]
    return users


def _reviewers(innovation: Innovation) -> list[User]:
    return [
        assignment.user
        for assignment in RoleAssignment.objects.filter(
            role=Role.VERIFIER, region_id=innovation.region_id, is_active=True
        ).select_related("user")
    ]


@transaction.atomic
def innovation_transition(
    *, innovation: Innovation, action: str, actor: User, note: str = "", field_notes: dict[str, str] | None = None
) -> InnovationEvent:
    """Take a review step; the owners and unit operators hear of it in the app and by e-mail."""
    if action in ("submit", "resubmit"):
        problems = innovation.submission_problems()
        if problems:
            raise ValidationError(problems)
    field_notes = {name: text.strip() for name, text in (field_notes or {}).items() if text and text.strip()}
    if action == "return" and not (note.strip() or field_notes):
        raise ValidationError(_("Tuliskan catatan perbaikan, setidaknya pada satu bagian."), code="note_required")
    if action == "return" and not note.strip():
        note = _("Lihat catatan per bagian.")
    event = REVIEW.apply(
        innovation, action, actor=actor, note=note, data={"field_notes": field_notes} if field_notes else None
    )
    recipients = _people_to_tell(innovation)
    if innovation.status in Innovation.REVIEW_QUEUE_STATES and action in ("submit", "resubmit"):
        recipients += _reviewers(innovation)
    notify(
        recipients=[user for user in recipients if user.pk != actor.pk],
        title=_("Inovasi “%(name)s”: %(state)s")
        % {"name": innovation.name[:120], "state": innovation.get_status_display()},
        body=note,
        url=reverse("innovations:detail", args=[innovation.pk]),
        region=innovation.region,
    )
    return event


@dataclass(frozen=True)
class ReturnNotes:
    """What the verifier wrote when returning the record: a general note and notes per field."""

    general: str = ""
    fields: dict[str, str] = field(default_factory=dict)


def latest_return_notes(innovation: Innovation) -> ReturnNotes:
    """The verifier's notes from the latest return, while the record is being fixed."""
    if innovation.status != Innovation.Status.RETURNED:
        return ReturnNotes()
    event = innovation.events.filter(to_state=Innovation.Status.RETURNED).order_by("-created_at", "-id").first()
    if event is None:
        return ReturnNotes()
    return ReturnNotes(event.note, dict((event.data or {}).get("field_notes", {})))


@transaction.atomic
def innovation_confirm_running(*, innovation: Innovation, action: str, actor: User, note: str = "") -> InnovationEvent:
    """The yearly "still running?" answer: running (this year), stopped (with the reason), or resumed."""
    year = timezone.localdate().year
    event = CONTINUITY.apply(innovation, action, actor=actor, note=note, data={"year": year})
    innovation.running_confirmed_year = year
    innovation.stopped_reason = event.note if event.to_state == STOPPED else ""
    innovation.save(update_fields=["running_confirmed_year", "stopped_reason"])
    return event


@transaction.atomic
def team_member_add(*, innovation: Innovation, actor: User, role: str, official=None, name: str = "") -> TeamMember:
    if not innovation.is_editable:
        raise ValidationError(_("Tim hanya dapat diubah saat inovasi masih draf atau dikembalikan."))
    if official is not None and official.region_id != innovation.region_id:
        raise ValidationError(_("ASN harus dari pemda yang sama."))
    if official is not None and innovation.team.filter(official=official).exists():
        raise ValidationError(_("%(name)s sudah ada di tim.") % {"name": official.name})
    member = TeamMember(innovation=innovation, official=official, name="" if official else name.strip(), role=role)
    member.full_clean()
    member.save()
    _record_member(member, actor, TEAM_ADD)
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember, actor: User) -> None:
    if not member.innovation.is_editable:
        raise ValidationError(_("Tim hanya dapat diubah saat inovasi masih draf atau dikembalikan."))
    _record_member(member, actor, TEAM_REMOVE)
    member.delete()


def attachment_add(*, innovation: Innovation, actor: User, kind: str, title: str, uploaded) -> Attachment:
    if not innovation.is_editable:
        raise ValidationError(_("Lampiran hanya dapat ditambah saat inovasi masih draf atau dikembalikan."))
    with transaction.atomic():
        return _store_attachment(innovation=innovation, actor=actor, kind=kind, title=title, uploaded=uploaded)


def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    if not attachment.innovation.is_editable:
        raise ValidationError(_("Lampiran hanya dapat dihapus saat inovasi masih draf atau dikembalikan."))
    storage, name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        _record_attachment(attachment, actor, ATTACHMENT_DELETE)
        attachment.delete()
        # The file goes only once the row is gone for good (a rolled-back delete keeps both).
        transaction.on_commit(lambda: storage.delete(name))


def programme_save(*, programme: Programme, actor: User) -> Programme:
    if programme.pk is None:
        programme.created_by = actor
    programme.full_clean()
    programme.save()
    return programme


@dataclass
class ReminderOutcome:
    """What one press of "send reminders" did, target by target (compliance rows)."""

    reminded: list[Row] = field(default_factory=list)
    # Reminded within the programme's quiet period and not confirmed again: nothing sent.
    held_back: list[Row] = field(default_factory=list)
    # Nobody to tell: no operator account for the unit, no account for the official.
    unreachable: list[Row] = field(default_factory=list)
    notified: int = 0


def reminder_recipients(programme: Programme, rows: list[Row]) -> dict[int, list[User]]:
    """Who hears of each missing row: the operators of its unit, and an official's own account."""
    operators: dict[int, list[User]] = {}
    for assignment in RoleAssignment.objects.filter(
        role=Role.OPERATOR, region_id=programme.region_id, is_active=True, user__is_active=True,
        unit_id__in={row.unit.pk for row in rows},
    ).select_related("user"):  # fmt: skip
        operators.setdefault(assignment.unit_id, []).append(assignment.user)
    accounts: dict[int, list[User]] = {}
    if not programme.is_unit_quota:
        for user in User.objects.filter(official_id__in=[row.key for row in rows], is_active=True):
            accounts.setdefault(user.official_id, []).append(user)
    people = {}
    for row in rows:
        people[row.key] = list({u.pk: u for u in operators.get(row.unit.pk, []) + accounts.get(row.key, [])}.values())
    return people


def reminder_text(programme: Programme, rows: list[Row]) -> tuple[str, str]:
    title = _("Pengingat %(programme)s: inovasi belum memenuhi kuota") % {"programme": str(programme)}
    values = {
        "date": date_format(programme.reference_date, "DATE_FORMAT"),
        "n": programme.min_count,
        "programme": str(programme),
        "names": "; ".join(f"{row.name} ({row.position})" if row.position else row.name for row in rows),
    }
    if programme.is_unit_quota:
        body = _(
            "Menurut data per %(date)s, perangkat daerah berikut belum memiliki %(n)s inovasi yang dihitung "
            "untuk %(programme)s: %(names)s. Daftarkan inovasi atau lengkapi tim inovasi yang ada."
        )
    else:
        body = _(
            "Menurut data per %(date)s, pejabat berikut belum menjadi pemilik atau inisiator %(n)s inovasi yang "
            "dihitung untuk %(programme)s: %(names)s. Daftarkan inovasi atau lengkapi tim inovasi yang ada."
        )
    return title, body % values


@transaction.atomic
def programme_remind(
    *, programme: Programme, actor: User, keys: Collection[int] | None = None, repeat: bool = False
) -> ReminderOutcome:
    """Remind the units or officials still missing the quota (all of them, or those in `keys`),
    and record each reminder. A target reminded within the programme's quiet period is held back
    unless `repeat` says the admin confirmed sending again."""
    # Two admins pressing at once would both see "not reminded yet": the lock makes them queue.
    Programme.objects.select_for_update().get(pk=programme.pk)
    report = with_last_reminders(programme_compliance(programme, with_trend=False))
    targets = [row for row in report.missing_rows if keys is None or row.key in keys]
    if keys is not None and not targets:
        raise ValidationError(_("Sasaran itu sudah memenuhi kuota atau bukan sasaran program ini."))
    outcome = ReminderOutcome()
    for row in targets:
        (outcome.held_back if row.recently_reminded and not repeat else outcome.reminded).append(row)
    recipients = reminder_recipients(programme, outcome.reminded)
    outcome.unreachable = [row for row in outcome.reminded if not recipients[row.key]]
    outcome.reminded = [row for row in outcome.reminded if recipients[row.key]]
    # One message per person, naming every target they answer for.
    rows_of: dict[int, list[Row]] = {}
    people: dict[int, User] = {}
    for row in outcome.reminded:
        for user in recipients[row.key]:
            people[user.pk] = user
            rows_of.setdefault(user.pk, []).append(row)
    same_text: dict[tuple[int, ...], list[User]] = {}
    for user_pk, rows in rows_of.items():
        same_text.setdefault(tuple(row.key for row in rows), []).append(people[user_pk])
    for keys_of_text, users in same_text.items():
        title, body = reminder_text(programme, [row for row in outcome.reminded if row.key in keys_of_text])
        notify(recipients=users, title=title, body=body, url=reverse("innovations:create"), region=programme.region)
    target = "unit" if programme.is_unit_quota else "official"
    ProgrammeReminder.objects.bulk_create(
        ProgrammeReminder(
            programme=programme, sent_by=actor, recipients=len(recipients[row.key]),
            repeat_confirmed=row.recently_reminded,
            **{target: row.unit if programme.is_unit_quota else row.official},
        )
        for row in outcome.reminded
    )  # fmt: skip
    outcome.notified = len(people)
    return outcome

"""Operations on innovations: create and edit the profile, the team and attachments, move it
through review, confirm it still runs, and remind programme laggards."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.accounts.models import RoleAssignment, User
from lumbung.core.roles import Role
from lumbung.notifications.services import notify

from . import quotas
from .compliance import programme_compliance
from .models import Attachment, Innovation, InnovationEvent, Programme, TeamMember
from .workflows import CONTINUITY, REVIEW, STOPPED

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


def _store_attachment(*, innovation: Innovation, actor, kind: str, title: str, uploaded) -> Attachment:
    info = uploaded.upload_info  # set by core.forms.SafeFileField
    attachment = Attachment(
        innovation=innovation, kind=kind, title=title, original_name=info.original_name,
        content_type=info.content_type, size=info.size, sha256=info.sha256, uploaded_by=actor,
    )  # fmt: skip
    attachment.file.save(info.original_name, uploaded, save=False)
    attachment.full_clean(exclude=["file"])
    attachment.save()
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
    if join_team and actor.official_id and actor.official.region_id == region.pk:
        TeamMember.objects.create(innovation=innovation, official_id=actor.official_id, role=TeamMember.Role.OWNER)
    if attachment:
        kind, title, uploaded = attachment
        _store_attachment(innovation=innovation, actor=actor, kind=kind, title=title, uploaded=uploaded)
    InnovationEvent.objects.create(
        innovation=innovation, actor=actor, action=event_action, from_state="", to_state=innovation.status
    )
    return innovation


@transaction.atomic
def innovation_update(
    *, innovation: Innovation, actor: User, data: dict, related_affairs=(), attachment: tuple | None = None
) -> Innovation:
    if not innovation.is_editable:
        raise ValidationError(
            _("Inovasi dengan status %(status)s tidak dapat diubah.") % {"status": innovation.get_status_display()}
        )
    _apply_profile(innovation, data)
    innovation.full_clean(exclude=["search_vector"])
    innovation.save()
    innovation.related_affairs.set(related_affairs)
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
        unit_id__in=quotas.path_ids(innovation.unit.path),
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


def latest_field_notes(innovation: Innovation) -> dict[str, str]:
    """The verifier's notes per field from the latest return, while the record is being fixed."""
    if innovation.status != Innovation.Status.RETURNED:
        return {}
    event = innovation.events.filter(to_state=Innovation.Status.RETURNED).order_by("-created_at", "-id").first()
    return dict((event.data or {}).get("field_notes", {})) if event else {}


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
    return member


def team_member_remove(*, member: TeamMember, actor: User) -> None:
    if not member.innovation.is_editable:
        raise ValidationError(_("Tim hanya dapat diubah saat inovasi masih draf atau dikembalikan."))
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
        attachment.delete()
        # The file goes only once the row is gone for good (a rolled-back delete keeps both).
        transaction.on_commit(lambda: storage.delete(name))


def programme_save(*, programme: Programme, actor: User) -> Programme:
    if programme.pk is None:
        programme.created_by = actor
    programme.full_clean()
    programme.save()
    return programme


def programme_remind(*, programme: Programme, actor: User) -> int:
    """Tell every unit (its operators) or official (their account, else their unit's operators)
    that is still missing the quota. Returns how many people were notified."""
    report = programme_compliance(programme, with_trend=False)
    missing = report.missing_rows
    units = {row.unit.pk for row in missing if row.unit}
    operators = RoleAssignment.objects.filter(
        role=Role.OPERATOR, region_id=programme.region_id, is_active=True, unit_id__in=units
    ).select_related("user")
    recipients = {assignment.user.pk: assignment.user for assignment in operators}
    if not programme.is_unit_quota:
        officials = [row.key for row in missing]
        recipients.update({user.pk: user for user in User.objects.filter(official_id__in=officials)})
    title = _("Pengingat %(programme)s: inovasi belum memenuhi kuota") % {"programme": str(programme)}
    body = _(
        "Menurut data per %(date)s, unit atau pejabat Anda belum memiliki %(n)s inovasi yang dihitung untuk %(programme)s. "
        "Daftarkan inovasi atau lengkapi tim inovasi yang ada."
    ) % {"date": programme.reference_date.strftime("%d-%m-%Y"), "n": programme.min_count, "programme": str(programme)}
    sent = notify(
        recipients=recipients.values(),
        title=title,
        body=body,
        url=reverse("innovations:create"),
        region=programme.region,
    )
    return len(sent)

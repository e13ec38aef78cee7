"""The third track: innovations of citizens and community groups (attributed to them, to no unit
until a unit adopts one), and the showcase's photo and video link of any innovation.

A citizen's innovation is an ordinary Innovation (track "society", unit empty): it is reviewed by
the same state machine, counts in the showcase once published, can be the start of a competition
proposal, and a unit may adopt it (the unit is set; the author stays its owner)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.accounts.models import User
from lumbung.core.roles import Role

from .models import Innovation, InnovationEvent, TeamMember
from .services import _record, _record_member
from .workflows import TEAM_ADD

CITIZEN_FIELDS = (
    "name", "group_name", "stage", "form", "main_affair", "trial_date", "implementation_date",
    *Innovation.DESIGN_FIELDS, "goals", "benefits", "results", "video_url",
)  # fmt: skip
ADOPT, PHOTO, VIDEO = "adopt", "photo", "video"


def _apply(innovation: Innovation, data: dict) -> None:
    for name in CITIZEN_FIELDS:
        if name in data:
            setattr(innovation, name, data[name])
    innovation.initiator_name = (innovation.group_name or innovation.created_by.full_name)[:200]


@transaction.atomic
def citizen_innovation_create(*, region, actor: User, data: dict, photo=None) -> Innovation:
    """A draft innovation of the citizen (or of the group they name), with them as its owner."""
    if not actor.has_role(Role.CITIZEN, region):
        raise PermissionDenied
    innovation = Innovation(
        region=region, created_by=actor, track=Innovation.Track.SOCIETY, unit=None,
        initiator_kind=Innovation.InitiatorKind.CITIZEN,
    )  # fmt: skip
    _apply(innovation, data)
    innovation.full_clean(exclude=["search_vector"])
    innovation.save()
    InnovationEvent.objects.create(innovation=innovation, actor=actor, action="create", from_state="",
                                   to_state=innovation.status, data={"track": innovation.track})  # fmt: skip
    member = TeamMember.objects.create(
        innovation=innovation, user=actor, name=actor.full_name[:200], role=TeamMember.Role.OWNER
    )
    _record_member(member, actor, TEAM_ADD)
    if photo is not None:
        _store_photo(innovation, actor, photo)
    return innovation


@transaction.atomic
def citizen_innovation_update(*, innovation: Innovation, actor: User, data: dict) -> Innovation:
    if not actor.has_perm("innovations.change_innovation", innovation) or innovation.track != Innovation.Track.SOCIETY:
        raise PermissionDenied
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if not innovation.is_editable:
        raise ValidationError(_("Inovasi yang sedang diverifikasi atau sudah terbit tidak dapat diubah."))
    before = {name: getattr(innovation, name) for name in CITIZEN_FIELDS}
    _apply(innovation, data)
    innovation.full_clean(exclude=["search_vector"])
    innovation.version += 1
    innovation.save()
    changed = sorted(name for name in CITIZEN_FIELDS if getattr(innovation, name) != before[name])
    _record(innovation, actor, "edit", fields=changed)
    return innovation


@transaction.atomic
def innovation_adopt(*, innovation: Innovation, actor: User, unit, note: str = "") -> Innovation:
    """A unit takes up a citizen's published innovation: the unit is set, the author stays owner,
    and the change is recorded with who, when and why."""
    innovation = Innovation.objects.select_for_update().select_related("region").get(pk=innovation.pk)
    if not actor.has_perm("innovations.adopt_innovation", innovation):
        raise PermissionDenied
    if unit is None or unit.region_id != innovation.region_id or not unit.is_active:
        raise ValidationError(_("Pilih perangkat daerah pemda ini yang masih aktif."))
    if not actor.has_role(Role.ADMIN, innovation.region) and not actor.operates_unit(unit):
        raise PermissionDenied
    innovation.unit, innovation.adopted_at = unit, timezone.now()
    innovation.save(update_fields=["unit", "adopted_at", "updated_at"])
    _record(innovation, actor, ADOPT, unit=unit.pk, unit_name=unit.display_name, note=note.strip())
    return innovation


def _store_photo(innovation: Innovation, actor: User, uploaded) -> None:
    info = uploaded.upload_info
    if innovation.photo:
        innovation.photo.delete(save=False)
    innovation.photo.save(info.original_name, uploaded, save=False)
    innovation.photo_sha256 = info.sha256
    innovation.save(update_fields=["photo", "photo_sha256", "updated_at"])
    _record(innovation, actor, PHOTO, original_name=info.original_name, sha256=info.sha256)


@transaction.atomic
def showcase_media_set(*, innovation: Innovation, actor: User, photo=None, video_url: str | None = None,
                       remove_photo: bool = False) -> Innovation:  # fmt: skip
    """The showcase's photo (an upload checked by core.files) and video link (allowed hosts only)."""
    if not actor.has_perm("innovations.change_showcase_media", innovation):
        raise PermissionDenied
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if video_url is not None and video_url != innovation.video_url:
        innovation.video_url = video_url.strip()
        innovation.full_clean(exclude=["search_vector"])
        innovation.save(update_fields=["video_url", "updated_at"])
        _record(innovation, actor, VIDEO, video_url=innovation.video_url)
    if photo is not None:
        _store_photo(innovation, actor, photo)
    elif remove_photo and innovation.photo:
        innovation.photo.delete(save=False)
        innovation.photo_sha256 = ""
        innovation.save(update_fields=["photo", "photo_sha256", "updated_at"])
        _record(innovation, actor, PHOTO, removed=True)
    return innovation

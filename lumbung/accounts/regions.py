"""A region joins the deployment in one step, and leaves it (for a while) in another.

Onboarding picks the region from the Kepmendagri list, builds its unit tree (the standard set of
its kind, or the region's own spreadsheet), opens it for hosting and invites its first admin by
e-mail: all in one transaction, so a refusal changes nothing. Deactivating hides a hosted region
(public pages, pickers, the API and its users' roles) and keeps every record; reactivating brings
it back. Each step is a RegionEvent (who, when, why), and the region's history names the actor too.

It lives in accounts because it invites people; accounts builds on organisation, not the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lumbung.core.roles import Role
from lumbung.organisation.models import Region, RegionEvent, Unit
from lumbung.organisation.unit_templates import UnitRows, read_unit_rows, template_rows, units_create

from .models import Invitation
from .services import invitation_create

NOT_HOSTED, ACTIVE, INACTIVE = "not_hosted", "active", "inactive"
STATE_LABELS = {
    NOT_HOSTED: gettext_lazy("belum memakai"), ACTIVE: gettext_lazy("aktif"), INACTIVE: gettext_lazy("nonaktif"),
}  # fmt: skip
ACTION_LABELS = {
    "onboard": gettext_lazy("Didaftarkan"), "deactivate": gettext_lazy("Dinonaktifkan"),
    "reactivate": gettext_lazy("Diaktifkan kembali"),
}  # fmt: skip


@dataclass
class Onboarding:
    region: Region
    units: list[Unit] = field(default_factory=list)
    invitation: Invitation | None = None
    source: str = ""


def region_state(region: Region) -> str:
    if region.is_hosted:
        return ACTIVE
    return INACTIVE if region.deactivated_at else NOT_HOSTED


def _check_actor(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_national_admin:
        raise PermissionDenied(_("Hanya admin nasional yang dapat mendaftarkan atau menonaktifkan pemda."))


def _clean_text(value: str, *, field_name: str, required_message: str) -> str:
    text = (value or "").strip()
    try:
        ProhibitNullCharactersValidator()(text)
    except ValidationError:
        raise ValidationError({field_name: _("Teks ini memuat karakter yang tidak sah.")}) from None
    if not text:
        raise ValidationError({field_name: required_message})
    return text


def onboarding_region(code: str) -> Region:
    """The region with this Kemendagri code, if it may be onboarded; a clear refusal otherwise."""
    code = (code or "").strip()
    region = Region.objects.filter(code=code).first() if code and "\x00" not in code else None
    if region is None:
        raise ValidationError(
            {"code": _("Kode %(code)s tidak ada dalam daftar pemda Kepmendagri.") % {"code": code or "(kosong)"}}
        )
    if region.is_hosted:
        raise ValidationError({"code": _("%(region)s sudah memakai aplikasi ini.") % {"region": region.name}})
    if region.deactivated_at:
        raise ValidationError(
            {
                "code": _(
                    "%(region)s pernah memakai aplikasi ini dan sedang dinonaktifkan; aktifkan kembali dari daftar "
                    "pemda (datanya masih ada)."
                )
                % {"region": region.name}
            }
        )
    if Unit.objects.filter(region=region).exists():
        raise ValidationError(
            {"code": _("%(region)s sudah punya perangkat daerah; pemda ini tidak dapat didaftarkan ulang.")
             % {"region": region.name}}
        )  # fmt: skip
    return region


def unit_rows_for(region: Region, *, upload=None, file_name: str = "") -> UnitRows:
    """The template of the region's kind, or the uploaded unit sheet (checked whole)."""
    if upload is None:
        return template_rows(region)
    kind = "csv" if (file_name or getattr(upload, "name", "")).lower().endswith(".csv") else "excel"
    if hasattr(upload, "seek"):
        upload.seek(0)
    return read_unit_rows(region, upload, kind=kind, source=file_name or getattr(upload, "name", ""))


@transaction.atomic
def region_onboard(
    *, code: str, actor, admin_email: str, admin_name: str, reason: str, upload=None, file_name: str = ""
) -> Onboarding:
    """Open region `code` on this deployment: its units, hosting, and an invitation for its first
    admin. Raises ValidationError (per field, in Indonesian) or PermissionDenied; nothing is saved then."""
    _check_actor(actor)
    errors: dict[str, list[str]] = {}
    email = (admin_email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["admin_email"] = [
            _("'%(value)s' bukan alamat surel yang sah.") % {"value": email} if email else _("Isi surel admin pertama.")
        ]
    for name, value, message in (
        ("admin_name", admin_name, _("Isi nama admin pertama.")),
        ("reason", reason, _("Tuliskan dasar pendaftaran, misalnya nomor surat permohonan pemda.")),
    ):
        try:
            _clean_text(value, field_name=name, required_message=message)
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        region = onboarding_region(code)
    except ValidationError as error:
        errors.update(error.message_dict)
        region = None
    if errors:
        raise ValidationError(errors)
    # Two national admins onboarding the same region at once: the second waits here, then is refused.
    region = Region.objects.select_for_update().get(pk=region.pk)
    region = onboarding_region(region.code)
    try:
        unit_rows = unit_rows_for(region, upload=upload, file_name=file_name)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    reason = reason.strip()
    units = units_create(region=region, unit_rows=unit_rows, actor=actor, reason=reason)
    region.is_hosted = True
    _save_region(region, actor=actor, reason=reason)
    invitation = invitation_create(
        email=email, full_name=admin_name.strip(), region=region, roles=[Role.ADMIN], unit=None, official=None,
        invited_by=actor,
    )  # fmt: skip
    RegionEvent.objects.create(
        region=region, actor=actor, action="onboard", from_state=NOT_HOSTED, to_state=ACTIVE, note=reason,
        data={"units": len(units), "source": unit_rows.source, "admin_email": email},
    )  # fmt: skip
    return Onboarding(region=region, units=units, invitation=invitation, source=unit_rows.source)


def _save_region(region: Region, *, actor, reason: str) -> None:
    region._history_user = actor
    region._change_reason = reason[:100] or None
    region.save(update_fields=["is_hosted", "deactivated_at"])


@transaction.atomic
def region_deactivate(*, region: Region, actor, reason: str) -> Region:
    """Hide a hosted region: public pages, pickers and the API no longer show it, and its users'
    roles there stop working until it is reactivated. Every record stays."""
    _check_actor(actor)
    reason = _clean_text(reason, field_name="reason", required_message=_("Tuliskan alasan penonaktifan."))
    region = Region.objects.select_for_update().get(pk=region.pk)
    if not region.is_hosted:
        raise ValidationError(_("%(region)s tidak sedang aktif di aplikasi ini.") % {"region": region.name})
    region.is_hosted, region.deactivated_at = False, timezone.now()
    _save_region(region, actor=actor, reason=reason)
    RegionEvent.objects.create(
        region=region, actor=actor, action="deactivate", from_state=ACTIVE, to_state=INACTIVE, note=reason
    )
    return region


@transaction.atomic
def region_reactivate(*, region: Region, actor, reason: str) -> Region:
    _check_actor(actor)
    reason = _clean_text(reason, field_name="reason", required_message=_("Tuliskan alasan pengaktifan kembali."))
    region = Region.objects.select_for_update().get(pk=region.pk)
    if region.is_hosted or not region.deactivated_at:
        raise ValidationError(_("%(region)s tidak sedang dinonaktifkan.") % {"region": region.name})
    region.is_hosted, region.deactivated_at = True, None
    _save_region(region, actor=actor, reason=reason)
    RegionEvent.objects.create(
        region=region, actor=actor, action="reactivate", from_state=INACTIVE, to_state=ACTIVE, note=reason
    )
    return region


def region_events(region: Region) -> list[RegionEvent]:
    events = list(RegionEvent.objects.filter(region=region).select_related("actor").order_by("-created_at", "-id"))
    for event in events:
        event.action_label = ACTION_LABELS.get(event.action, event.action)
        event.from_label = STATE_LABELS.get(event.from_state, event.from_state)
        event.to_label = STATE_LABELS.get(event.to_state, event.to_state)
    return events

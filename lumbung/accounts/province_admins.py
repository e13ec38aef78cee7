"""The national admin grants and revokes the province admin role (`Role.PROVINCE_ADMIN`, held on a
hosted province), each with a reason.

A person who has an account gets the role at once (`services.role_grant`); anyone else gets the
invitation a region's first admin gets (`services.invitation_create`), and the role when accepting
it. Who, when and why are kept where every role change is kept: the role's history (and the
invitation's, until it is accepted). Every refusal is a ValidationError in Indonesian, raised before
anything is saved; only a national admin may act (PermissionDenied otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.roles import Role
from lumbung.organisation.models import Region

from .models import Invitation, RoleAssignment, User
from .regions import _clean_text
from .services import invitation_create, role_grant, role_revoke

# The role's history keeps the reason in a column of this length (django-simple-history).
REASON_MAX = 100


@dataclass(frozen=True)
class ProvinceAdminGrant:
    province: Region
    assignment: RoleAssignment | None = None  # the person had an account: the role is held now
    invitation: Invitation | None = None  # the person had none: invited, the role comes on accepting


def _check_actor(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_national_admin:
        raise PermissionDenied(_("Hanya admin nasional yang dapat memberi atau mencabut peran admin provinsi."))


def clean_reason(reason: str) -> str:
    reason = _clean_text(reason, field_name="reason", required_message=_("Tuliskan alasannya, misalnya nomor surat."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {
                "reason": _("Alasan paling panjang %(max)s karakter (kini %(n)s).")
                % {"max": REASON_MAX, "n": len(reason)}
            }
        )
    return reason


def grant_province(code: str) -> Region:
    """The hosted province with this Kemendagri code; a clear refusal for anything else."""
    code = (code or "").strip()
    region = Region.objects.filter(code=code).first() if code and "\x00" not in code else None
    if region is None:
        raise ValidationError(
            {"province": _("Kode %(code)s tidak ada dalam daftar pemda Kepmendagri.") % {"code": code or "(kosong)"}}
        )
    if region.kind != Region.Kind.PROVINCE:
        raise ValidationError({"province": _("%(region)s bukan provinsi.") % {"region": region.name}})
    if region.deactivated_at:
        raise ValidationError(
            {"province": _("%(region)s sedang dinonaktifkan; aktifkan kembali lebih dulu.") % {"region": region.name}}
        )
    if not region.is_hosted:
        raise ValidationError(
            {"province": _("%(region)s belum memakai aplikasi ini; daftarkan lebih dulu.") % {"region": region.name}}
        )
    return region


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        message = _("'%(value)s' bukan alamat surel yang sah.") % {"value": email} if email else _("Isi surelnya.")
        raise ValidationError({"email": message}) from None
    return email


@transaction.atomic
def province_admin_grant(*, code: str, email: str, full_name: str = "", reason: str, actor) -> ProvinceAdminGrant:
    """Make the person with `email` admin of the hosted province `code`: at once when the address has
    an account, by invitation (named `full_name`) when it has none."""
    _check_actor(actor)
    errors: dict[str, list[str]] = {}
    checks = (
        ("province", lambda: grant_province(code)),
        ("email", lambda: _clean_email(email)),
        ("reason", lambda: clean_reason(reason)),
    )
    cleaned = {}
    for name, check in checks:
        try:
            cleaned[name] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    # Two national admins granting in the same province at once: the second waits here, then sees the first.
    province = Region.objects.select_for_update().get(pk=cleaned["province"].pk)
    province = grant_province(province.code)
    email, reason = cleaned["email"], cleaned["reason"]
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        name = (full_name or "").strip()
        if not name or "\x00" in name:
            raise ValidationError(
                {"full_name": _("%(email)s belum punya akun: isi nama lengkapnya agar undangan dapat dikirim.")
                 % {"email": email}}
            )  # fmt: skip
        invitation = invitation_create(
            email=email, full_name=name[:200], region=province, roles=[Role.PROVINCE_ADMIN], unit=None,
            official=None, invited_by=actor, reason=reason,
        )  # fmt: skip
        return ProvinceAdminGrant(province=province, invitation=invitation)
    held = RoleAssignment.objects.filter(user=user, role=Role.PROVINCE_ADMIN, region=province, is_active=True)
    if held.exists():
        raise ValidationError(
            {"email": _("%(name)s sudah menjadi admin %(province)s.") % {"name": user, "province": province.name}}
        )
    assignment = role_grant(user=user, role=Role.PROVINCE_ADMIN, region=province, granted_by=actor, reason=reason)
    return ProvinceAdminGrant(province=province, assignment=assignment)


@transaction.atomic
def province_admin_revoke(*, assignment: RoleAssignment, reason: str, actor) -> RoleAssignment:
    _check_actor(actor)
    reason = clean_reason(reason)
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",)).select_related("user", "region").get(pk=assignment.pk)
    )
    if assignment.role != Role.PROVINCE_ADMIN or not assignment.is_active:
        raise ValidationError(_("Peran ini sudah tidak aktif."))
    role_revoke(assignment=assignment, revoked_by=actor, reason=reason)
    return assignment


# The page --------------------------------------------------------------------------------------------


def active_province_admins():
    return RoleAssignment.objects.filter(role=Role.PROVINCE_ADMIN, is_active=True)


def provinces_listed():
    """Hosted provinces, and any other province where someone still holds the role (a deactivated one)."""
    held = active_province_admins().filter(region=OuterRef("pk"))
    return (
        Region.objects.filter(kind=Region.Kind.PROVINCE)
        .filter(Q(is_hosted=True) | Exists(held))
        .prefetch_related(
            Prefetch(
                "roleassignment_set",
                queryset=active_province_admins().select_related("user", "granted_by").order_by("user__full_name"),
                to_attr="province_admins",
            )
        )
        .order_by("code")
    )


def attach_pending(provinces: list[Region]) -> None:
    """Each province's open invitations to be its admin (one query for the page)."""
    pending: dict[int, list[Invitation]] = {province.pk: [] for province in provinces}
    invitations = Invitation.objects.filter(
        region__in=list(pending), accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("full_name")
    for invitation in invitations:
        if Role.PROVINCE_ADMIN in invitation.roles:
            pending[invitation.region_id].append(invitation)
    for province in provinces:
        province.pending_invitations = pending[province.pk]


def recent_changes(*, limit: int = 10) -> list:
    """The latest grants and revocations of the role (who, when, why), from the role's history."""
    records = (
        RoleAssignment.history.filter(role=Role.PROVINCE_ADMIN)
        .select_related("history_user", "user", "region")
        .order_by("-history_date", "-history_id")[:limit]
    )
    rows = list(records)
    for record in rows:
        record.action_label = _("diberikan") if record.is_active else _("dicabut")
    return rows

"""Account operations: invitations, citizen sign-up with e-mail verification, role changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.roles import UNIT_BOUND_ROLES, Role

from .models import Invitation, RoleAssignment, User, invitation_code

VERIFY_SALT = "lumbung.accounts.verify-email"
VERIFY_MAX_AGE = 60 * 60 * 24 * 3


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def role_grant(
    *, user: User, role: str, region, unit=None, granted_by: User | None, reason: str = ""
) -> RoleAssignment:
    """Give `user` a role in `region` (and `unit` for unit-bound roles); re-activates a revoked one.
    The role's history names `granted_by` and `reason` (why), where one is given."""
    if role in UNIT_BOUND_ROLES and unit is None:
        raise ValidationError(_("Peran %(role)s harus dikaitkan dengan perangkat daerah.") % {"role": Role(role).label})
    if unit is not None and unit.region_id != region.pk:
        raise ValidationError(_("Perangkat daerah harus dari pemda yang sama."))
    if role not in UNIT_BOUND_ROLES:
        unit = None
    assignment = RoleAssignment.objects.filter(user=user, role=role, region=region, unit=unit).first()
    if assignment is None or not assignment.is_active:
        if assignment is None:
            assignment = RoleAssignment(user=user, role=role, region=region, unit=unit)
        assignment.is_active = True
        assignment.granted_by = granted_by
        _stamp_history(assignment, actor=granted_by, reason=reason)
        assignment.save()
    user.__dict__.pop("active_roles", None)
    return assignment


def _stamp_history(obj, *, actor: User | None, reason: str) -> None:
    """Who and why, for the record's history row (django-simple-history keeps 100 characters)."""
    if actor is not None:
        obj._history_user = actor
    if reason:
        obj._change_reason = reason[:100]


def role_revoke(*, assignment: RoleAssignment, revoked_by: User, reason: str = "") -> None:
    if assignment.user_id == revoked_by.pk and assignment.role == Role.ADMIN:
        # Keeps a region from locking itself out by accident.
        raise ValidationError(_("Anda tidak dapat mencabut peran admin Anda sendiri."))
    assignment.is_active = False
    _stamp_history(assignment, actor=revoked_by, reason=reason or f"revoked by {revoked_by.pk}")
    assignment.save(update_fields=["is_active"])


@transaction.atomic
def invitation_create(
    *, email: str, full_name: str, region, roles: list[str], unit, official, invited_by: User, reason: str = ""
) -> Invitation:
    """Invite `email` to `region` with `roles`; an earlier open invitation of the address there is
    revoked. The invitation's history keeps `reason`, and the roles carry it when accepted."""
    email = email.strip().lower()
    if not roles:
        raise ValidationError(_("Pilih setidaknya satu peran."))
    if any(role in UNIT_BOUND_ROLES for role in roles) and unit is None:
        raise ValidationError(_("Peran operator membutuhkan perangkat daerah."))
    Invitation.objects.filter(
        email__iexact=email, region=region, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation = Invitation(
        email=email,
        full_name=full_name,
        region=region,
        roles=roles,
        unit=unit,
        official=official,
        invited_by=invited_by,
    )
    _stamp_history(invitation, actor=invited_by, reason=reason)
    invitation.save()
    link = _absolute(reverse("accounts:invitation-accept", args=[invitation.token]))
    body = render_to_string("accounts/email/invitation.txt", {"invitation": invitation, "link": link})
    transaction.on_commit(
        lambda: send_mail(_("Undangan Lumbung Inovasi %(region)s") % {"region": region.name}, body, None, [email])
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, password: str | None, existing_user: User | None = None, email: str = ""
) -> User:
    """Create the account (or use the signed-in one with the same e-mail) and grant the roles. A
    letter invitation has no e-mail yet: the invitee gives one (`email`), verified afterwards by
    the usual link, since the letter proves who holds it, not whose address it is."""
    if not invitation.is_open:
        raise ValidationError(_("Undangan ini sudah tidak berlaku."))
    if invitation.region.deactivated_at:
        raise ValidationError(
            _("%(region)s sedang dinonaktifkan di aplikasi ini; undangan dapat diterima setelah diaktifkan kembali.")
            % {"region": invitation.region.name}
        )
    by_letter = not invitation.email
    if by_letter:
        if existing_user is None and not email:
            raise ValidationError(_("Isi surel Anda."))
        invitation.email = (existing_user.email if existing_user is not None else email).strip().lower()
        invitation.save(update_fields=["email"])
    if existing_user is not None:
        user = existing_user
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("Surel ini sudah terdaftar; masuk lebih dulu untuk menerima undangan."))
        user = User.objects.create_user(
            invitation.email, password, full_name=invitation.full_name,
            email_verified_at=None if by_letter else timezone.now(),
        )  # fmt: skip
        if by_letter:
            transaction.on_commit(lambda: send_verification(user=user))
    if invitation.official_id and user.official_id is None:
        user.official = invitation.official
        user.save(update_fields=["official"])
    # Why the inviter invited (where they said) is why the roles are granted.
    reason = invitation.history.filter(history_type="+").values_list("history_change_reason", flat=True).first()
    for role in invitation.roles:
        role_grant(
            user=user, role=role, region=invitation.region, unit=invitation.unit, granted_by=invitation.invited_by,
            reason=reason or "",
        )  # fmt: skip
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


@transaction.atomic
def citizen_register(*, email: str, full_name: str, password: str, phone: str, region) -> User | None:
    """A citizen signs up; the account stays inactive until the e-mail link is opened.

    An address that already has an account gets a reminder instead (how to sign in or reset the
    password) and None is returned: the page answers the same either way, so sign-up never tells
    a stranger which addresses are registered."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(password)  # the same hashing work as a new account: no timing difference either
        send_account_exists(user=existing)
        return None
    user = User.objects.create_user(email, password, full_name=full_name, phone=phone, is_active=False)
    RoleAssignment.objects.create(user=user, role=Role.CITIZEN, region=region, is_active=False)
    send_verification(user=user)
    return user


def send_verification(*, user: User) -> None:
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFY_SALT)
    link = _absolute(reverse("accounts:verify-email", args=[token]))
    body = render_to_string("accounts/email/verify.txt", {"user": user, "link": link})
    transaction.on_commit(lambda: send_mail(_("Verifikasi surel Lumbung Inovasi"), body, None, [user.email]))


def send_account_exists(*, user: User) -> None:
    context = {
        "user": user,
        "login": _absolute(reverse("accounts:login")),
        "reset": _absolute(reverse("accounts:password-reset")),
        "resend": _absolute(reverse("accounts:resend-verification")),
    }
    body = render_to_string("accounts/email/account_exists.txt", context)
    transaction.on_commit(lambda: send_mail(_("Akun Lumbung Inovasi Anda sudah ada"), body, None, [user.email]))


def verify_email(*, token: str) -> User:
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("Tautan verifikasi sudah kedaluwarsa. Minta tautan baru.")) from None
    except signing.BadSignature:
        raise ValidationError(_("Tautan verifikasi tidak sah.")) from None
    user = User.objects.filter(pk=payload["user"], email=payload["email"]).first()
    if user is None:
        raise ValidationError(_("Tautan verifikasi tidak sah."))
    with transaction.atomic():
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.is_active = True
            user.save(update_fields=["email_verified_at", "is_active"])
            for assignment in RoleAssignment.objects.filter(user=user, role=Role.CITIZEN):
                assignment.is_active = True
                assignment.save(update_fields=["is_active"])  # through save(): the audit history sees it
    return user


@transaction.atomic
def user_link_official(*, user: User, official, actor: User) -> User:
    """Tie an account to its civil servant record (or untie it with None), so that innovations
    and quotas credit the right official."""
    if official is not None:
        taken = User.objects.filter(official=official).exclude(pk=user.pk).first()
        if taken is not None:
            raise ValidationError(
                _("%(official)s sudah terhubung dengan akun %(email)s.")
                % {"official": official.name, "email": taken.email}
            )
    user.official = official
    user._history_user = actor
    user.save(update_fields=["official"])
    return user


def invitation_revoke(*, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@dataclass(frozen=True)
class OperatorChoice:
    """One unit of the bulk onboarding: who will operate it, and where the invitation goes."""

    unit: object
    official: object
    email: str = ""  # empty: a printed letter with a one-time code


@transaction.atomic
def operators_invite(*, region, choices: list[OperatorChoice], invited_by: User) -> list[Invitation]:
    """Invite one operator for each chosen unit, from the roster: by e-mail where an address is
    given, otherwise as a letter invitation carrying a one-time code. All or nothing."""
    invitations = []
    for choice in choices:
        if choice.unit.region_id != region.pk or choice.official.region_id != region.pk:
            raise ValidationError(_("Perangkat daerah dan pejabat harus dari pemda yang sama."))
        fields = {
            "full_name": choice.official.name, "region": region, "roles": [Role.OPERATOR], "unit": choice.unit,
            "official": choice.official, "invited_by": invited_by,
        }  # fmt: skip
        if choice.email:
            invitations.append(invitation_create(email=choice.email, **fields))
            continue
        # A new letter replaces an unanswered earlier one for the same person and unit.
        Invitation.objects.filter(
            region=region, official=choice.official, unit=choice.unit, email="", accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())  # fmt: skip
        invitations.append(Invitation.objects.create(email="", code=_unused_code(), **fields))
    return invitations


def _unused_code() -> str:
    while True:
        code = invitation_code()
        if not Invitation.objects.filter(code=code).exists():
            return code


def invitation_by_code(code: str) -> Invitation | None:
    """The open letter invitation with this code, if any."""
    invitation = Invitation.objects.filter(code=code).exclude(code="").first() if code else None
    return invitation if invitation is not None and invitation.is_open else None

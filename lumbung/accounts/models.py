"""People who sign in, the roles they hold in a region (and unit), and invitations."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lumbung.core.roles import UNIT_BOUND_ROLES, Role
from lumbung.organisation.models import Region


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("Users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        user = self.create_user(email, password, **fields)
        RoleAssignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
        return user

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("surel"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=200)
    phone = models.CharField(_("nomor HP/WhatsApp"), max_length=20, blank=True)
    official = models.OneToOneField(
        "organisation.Official",
        verbose_name=_("data ASN"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )
    language = models.CharField(_("bahasa"), max_length=5, default="id")
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(_("akses admin sistem"), default=False)
    email_verified_at = models.DateTimeField(_("surel terverifikasi"), null=True, blank=True)
    date_joined = models.DateTimeField(_("bergabung"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()

    def get_session_auth_hash(self):
        # Checked on every signed-in request (django.contrib.auth.get_user): an HMAC of the password
        # hash, kept on the instance with the password it was made from, so a changed password
        # makes it anew. The signed-in user kept between requests (accounts.backends) carries it.
        made = self.__dict__.get("_session_auth_hash")
        if made is None or made[0] != self.password:
            made = self.__dict__["_session_auth_hash"] = (self.password, super().get_session_auth_hash())
        return made[1]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """The first name, past titles such as "Dr.", "Ir.", "Hj." and before the degrees."""
        words = self.full_name.split(",")[0].split()
        names = [word for word in words if not word.endswith(".")]
        return (names or words or [self.email])[0]

    # Roles -------------------------------------------------------------------------------
    # Loaded once per request object; every permission check below reads this list.

    @cached_property
    def active_roles(self) -> list[RoleAssignment]:
        # Roles in a deactivated region rest until it is reactivated (accounts.regions). The user of
        # a request comes with them already read (backends.RolesModelBackend, the same filter).
        assignments = self.role_assignments.filter(is_active=True, region__deactivated_at__isnull=True)
        return list(assignments.select_related("unit", "region"))

    def deactivated_regions(self) -> list:
        """Deactivated regions where the user holds an active role (why sign-in is refused)."""
        held = self.role_assignments.filter(is_active=True).values("region_id")
        return list(Region.objects.filter(pk__in=held, deactivated_at__isnull=False).order_by("code"))

    @property
    def is_national_admin(self) -> bool:
        return self.is_superuser or any(a.role == Role.NATIONAL_ADMIN for a in self.active_roles)

    def roles_in(self, region) -> set[str]:
        region_id = getattr(region, "pk", region)
        roles = {a.role for a in self.active_roles if a.region_id == region_id and region_id is not None}
        if self.is_national_admin:
            # National admins act as the innovation admin of whichever region they open.
            roles |= {Role.NATIONAL_ADMIN, Role.ADMIN} if region_id else {Role.NATIONAL_ADMIN}
        return roles

    def has_any_role(self, roles, region) -> bool:
        return bool(self.roles_in(region) & {str(role) for role in roles})

    def has_role(self, role, region) -> bool:
        return self.has_any_role({role}, region)

    def regions(self) -> list:
        """Regions where the user holds a role, in code order."""
        seen = {a.region_id: a.region for a in self.active_roles if a.region_id}
        return sorted(seen.values(), key=lambda region: region.code)

    def operator_unit_paths(self, region) -> list[str]:
        """Tree paths of the units this user operates in `region` (their subtrees included)."""
        region_id = getattr(region, "pk", region)
        return [
            a.unit.path
            for a in self.active_roles
            if a.role in UNIT_BOUND_ROLES and a.region_id == region_id and a.unit_id
        ]

    def operates_unit(self, unit) -> bool:
        return unit is not None and any(unit.path.startswith(p) for p in self.operator_unit_paths(unit.region_id))


class RoleAssignment(models.Model):
    """A role a user holds in a region; unit-bound roles (operator) also name the unit."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE, null=True, blank=True
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("perangkat daerah"), on_delete=models.PROTECT, null=True, blank=True
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("diberikan oleh"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("diberikan pada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("peran pengguna")
        verbose_name_plural = _("peran pengguna")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region", "unit"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(role=Role.NATIONAL_ADMIN, region__isnull=True)
                | (~models.Q(role=Role.NATIONAL_ADMIN) & models.Q(region__isnull=False)),
                name="role_assignment_region_matches_role",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=[str(r) for r in UNIT_BOUND_ROLES]) | models.Q(unit__isnull=False),
                name="role_assignment_unit_bound_has_unit",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.region or _("nasional")
        return f"{self.get_role_display()} — {scope}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


# Letters are read and typed by people: no 0/O or 1/I/L to confuse.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def invitation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value: str) -> str:
    """The code as stored, from what a person typed (spaces, dashes, lower case ignored)."""
    return "".join(ch for ch in str(value or "").upper() if ch.isalnum())


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An admin's invitation to join a region with given roles; accepted by setting a password."""

    # Blank for an invitation sent as a printed letter: the invitee gives an address on accepting.
    email = models.EmailField(_("surel"), blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=200)
    region = models.ForeignKey("organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE)
    # The short one-time code printed on a letter invitation, typed at /akun/kode-undangan/.
    code = models.CharField(_("kode undangan"), max_length=12, blank=True)
    roles = models.JSONField(_("peran"), default=list)
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("perangkat daerah"), on_delete=models.PROTECT, null=True, blank=True
    )
    official = models.ForeignKey(
        "organisation.Official", verbose_name=_("data ASN"), on_delete=models.SET_NULL, null=True, blank=True
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="invitation_code_unique")
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]

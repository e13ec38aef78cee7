"""API tokens: personal tokens of a user, and integration tokens an admin creates for another
system (a region's dashboard, a provincial portal). Only a hash of the token is stored."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

TOKEN_PREFIX = "lmb_"  # noqa: S105 - the marker every token starts with, not a secret


def token_hash(raw: str) -> str:
    """The stored form of a token. Tokens carry 256 random bits, so a plain SHA-256 cannot be
    reversed by guessing; a slow password hash would cost a second per API request."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Pribadi")
        INTEGRATION = "integration", _("Integrasi sistem")

    class Scope(models.TextChoices):
        READ = "read", _("Baca saja")
        WRITE = "write", _("Baca dan tulis")

    # The account the token acts as: its roles in `region` decide what the token may do. An
    # integration token acts as the admin who created it, so every change has a person to answer for it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bertindak sebagai"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.PERSONAL)
    name = models.CharField(_("nama"), max_length=100, help_text=_("Untuk apa token ini, misalnya “Dasbor Bupati”."))
    scope = models.CharField(_("cakupan"), max_length=5, choices=Scope.choices, default=Scope.READ)
    # The first characters of the token, shown in lists so that a token can be recognised.
    prefix = models.CharField(_("awalan"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ApiTokenQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    @property
    def audit_label(self) -> str:
        """How the token is named in the audit trail of what it changed."""
        return f"API token #{self.pk} {self.prefix}… ({self.kind}: {self.name})"

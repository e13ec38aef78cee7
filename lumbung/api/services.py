"""Creating, checking and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.roles import Role

from .models import TOKEN_PREFIX, ApiToken, token_hash

# A token lives at most a year: a forgotten integration stops by itself.
MAX_LIFETIME = dt.timedelta(days=366)
# last_used_at is written at most once a minute per token: one UPDATE per request would turn
# every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenRefused(Exception):  # noqa: N818 - reads as the situation it names
    """The presented token cannot be used; `code` says why (unknown, revoked, expired, inactive)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _check_expiry(expires_at: dt.datetime) -> None:
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": _("Tanggal berlaku harus sesudah hari ini.")}, code="expiry")
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError({"expires_at": _("Token berlaku paling lama satu tahun.")}, code="expiry")


@transaction.atomic
def token_create(
    *, user, region, name: str, scope: str, expires_at: dt.datetime, actor, kind: str = ApiToken.Kind.PERSONAL
) -> tuple[ApiToken, str]:
    """Issue a token and return it with its secret, which is shown once and never stored."""
    if not user.roles_in(region):
        raise PermissionDenied
    if kind == ApiToken.Kind.INTEGRATION and not actor.has_role(Role.ADMIN, region):
        raise PermissionDenied
    if kind == ApiToken.Kind.PERSONAL and actor.pk != user.pk:
        raise PermissionDenied
    _check_expiry(expires_at)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, region=region, kind=kind, name=name.strip(), scope=scope, prefix=raw[:12],
        key_hash=token_hash(raw), created_by=actor, expires_at=expires_at,
    )  # fmt: skip
    token.full_clean(exclude=["key_hash", "prefix"])
    token._change_reason = "create"
    token.save()
    return token, raw


def may_revoke(actor, token: ApiToken) -> bool:
    """The token's own user, or an admin of its region."""
    return actor.is_authenticated and (token.user_id == actor.pk or actor.has_role(Role.ADMIN, token.region_id))


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if not may_revoke(actor, token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), actor
        token._change_reason = "revoke"
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_authenticate(raw: str) -> ApiToken:
    """The token for a presented secret; marks it used. Raises TokenRefused."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        raise TokenRefused("unknown")
    token = ApiToken.objects.select_related("user", "region").filter(key_hash=token_hash(raw)).first()
    if token is None:
        raise TokenRefused("unknown")
    if token.is_revoked:
        raise TokenRefused("revoked")
    if token.is_expired:
        raise TokenRefused("expired")
    if not token.user.is_active:
        raise TokenRefused("inactive")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # A plain UPDATE: no history row per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

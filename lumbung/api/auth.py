"""Who is asking: an API token (Authorization: Bearer …) or the browser session (for the docs).

A token acts only in its region: the user it carries is narrowed so that roles held in other
regions do not count (`_narrow`), and the views treat a request about another region as a
visitor's (public data only, no writes)."""

from __future__ import annotations

import math
import types

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from lumbung.core.throttle import throttle_hit

from .services import TokenRefused, token_authenticate

REFUSALS = {
    "unknown": _("Token API tidak dikenal."),
    "revoked": _("Token API ini sudah dicabut."),
    "expired": _("Token API ini sudah kedaluwarsa."),
    "inactive": _("Akun pemilik token ini tidak aktif."),
}


class TokenFailed(exceptions.AuthenticationFailed):
    def __init__(self, code: str):
        super().__init__(REFUSALS[code], code=f"token_{code}")


def _narrow(user, token):
    """The user with only the roles held in the token's region (national admins act as admin
    of that region only)."""
    region_id = token.region_id
    user.__dict__["active_roles"] = [
        a for a in user.role_assignments.filter(is_active=True).select_related("unit", "region")
        if a.region_id == region_id or a.region_id is None
    ]  # fmt: skip
    unscoped = type(user).roles_in

    def roles_in(self, region):
        if getattr(region, "pk", region) != region_id:
            return set()
        return unscoped(self, region)

    user.roles_in = types.MethodType(roles_in, user)
    # Django grants a superuser every permission; a token is never more than its region's admin.
    user.is_superuser = False
    return user


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Format header Authorization: Bearer <token>."))
        try:
            raw = header[1].decode("ascii")
            token = token_authenticate(raw)
        except UnicodeDecodeError:
            raise TokenFailed("unknown") from None
        except TokenRefused as refused:
            raise TokenFailed(refused.code) from None
        return _narrow(token.user, token), token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser (docs page); writes need the CSRF token as on any page."""


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (per account for the session, per address for visitors), counted in
    Django's cache. The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]."""

    scope = "api"

    def get_rate(self):
        # Read at each request (not once at import as SimpleRateThrottle does), so that a change
        # of settings, such as a test's, takes effect and ends.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "key_hash"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        """Counted with the cache's atomic add and incr (core.throttle), not DRF's list of request
        times read and written back whole: processes counting at once lose no request, and while
        Redis is away each process goes on counting (core.rediscache) where DRF's list, never
        stored, would let every request through. The window starts at the first request and lasts
        the rate's period."""
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        count = throttle_hit(key, window=self.duration)
        if count == 1:
            cache.set(f"{key}:start", now, self.duration)
        if count <= self.num_requests:
            return True
        started = cache.get(f"{key}:start")  # unknown while Redis is away: a whole period then
        left = self.duration if started is None else self.duration - (now - started)
        self.retry_after = max(1, math.ceil(left))
        return False

    def wait(self):
        return self.retry_after

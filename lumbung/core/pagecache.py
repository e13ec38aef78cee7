"""Whole pages from the cache, compressed once, never stale (issue 10).

A page that many people read and few change (the showcase, the dashboard, the matrix …) is kept
whole under its region's data version (core.caching): the first reader after a change renders it,
everybody after that gets the stored bytes. What differs between two readers of the same version
is part of the key, or a hole filled per request:

- the key: the page's path and query, the language, the htmx headers that change what a view
  renders, today's date (days left, overdue), and for a signed-in reader who they are: the user,
  the roles they hold (where, on which unit), the region they work in and their unread
  notifications. Two visitors share one entry;
- the hole: the CSRF token. A page holds it in its forms and in htmx's headers, and it must be
  masked afresh for every response (BREACH) and match the reader's own cookie. The stored page is
  split where the token stood; each response gets a new masked token in those places.

Compressing a page takes longer than serving it from the cache, so the page is stored compressed
(core.gzipparts): each piece between two holes is compressed once, and a response is those pieces
with the token between them, uncompressed. The token shares no compression window with the page,
so reflected input (a search term) tells an attacker nothing about it, which is what Django's
random gzip padding protects against on other pages.

Pages with a message to show (after a form was saved) are rendered, never stored: the message is
the reader's own. Only plain 200 answers to GET and HEAD without cookies of their own are stored.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, _unmask_cipher_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language

from .caching import TIMEOUT, cache_key, data_version
from .gzipparts import GzipParts
from .localcache import LocalStore

# Masked CSRF tokens are 64 letters and digits (django.middleware.csrf).
_TOKEN_SIZE = 64
_TOKEN_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Headers the view set that belong to the page (the middleware adds the rest on every response).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Cache-Control", "X-Robots-Tag")
_HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_TARGET", "HTTP_HX_BOOSTED", "HTTP_HX_HISTORY_RESTORE_REQUEST")
# The pages this process served lately, in front of the shared cache (core.localcache): a key
# carries the data versions, so a page kept here is never stale.
_recent_pages = LocalStore("pages", max_entries=settings.LUMBUNG_LOCAL_PAGES)


@dataclass(frozen=True)
class StoredPage:
    headers: tuple[tuple[str, str], ...]
    body: GzipParts  # the page split where the CSRF token stood

    @classmethod
    def from_response(cls, response, csrf_secret: str | None) -> StoredPage:
        content = response.content
        pieces, start = [], 0
        if csrf_secret:
            for match in _TOKEN_CANDIDATE.finditer(content):
                if _is_token_for(match.group().decode(), csrf_secret):
                    pieces.append(content[start : match.start()])
                    start = match.end()
        pieces.append(content[start:])
        headers = tuple((name, response[name]) for name in _KEPT_HEADERS if response.has_header(name))
        return cls(headers=headers, body=GzipParts.build(pieces, hole_size=_TOKEN_SIZE))

    def respond(self, request) -> HttpResponse:
        token = csrf_token(request).encode() if len(self.body.compressed) > 1 else b""
        gzipped = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        body = self.body.gzip(token) if gzipped else self.body.plain(token)
        response = HttpResponse(body)
        for name, value in self.headers:
            response[name] = value
        if gzipped:
            response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ("Accept-Encoding",))
        response["Content-Length"] = str(len(body))
        return response


_LETTER_VALUES = {letter: value for value, letter in enumerate(CSRF_ALLOWED_CHARS)}


def _random_letters(count: int) -> str:
    """`count` letters of CSRF_ALLOWED_CHARS from one read of the system's randomness: the base-62
    digits of a 256-bit number (32 digits need 190.5 bits, so the digits are uniform to within
    2**-65). Django draws each letter with its own read, which cost more than the rest of serving
    a stored page."""
    number = int.from_bytes(os.urandom(32))
    letters = []
    for _ in range(count):
        number, digit = divmod(number, len(CSRF_ALLOWED_CHARS))
        letters.append(CSRF_ALLOWED_CHARS[digit])
    return "".join(letters)


def csrf_token(request) -> str:
    """What django.middleware.csrf.get_token gives (a fresh mask over the reader's secret, making
    the secret and its cookie for a visitor who has none), drawing each random string at once."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_letters(CSRF_SECRET_LENGTH)
    # As get_token: the cookie is (re)sent with the response, which renews its expiry.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_letters(CSRF_SECRET_LENGTH)
    size = len(CSRF_ALLOWED_CHARS)
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_LETTER_VALUES[s] + _LETTER_VALUES[m]) % size] for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher


def _is_token_for(candidate: str, secret: str) -> bool:
    return constant_time_compare(_unmask_cipher_token(candidate), secret)


def _has_messages(request) -> bool:
    return len(get_messages(request)) > 0


def reader_signature(request) -> tuple:
    """Who is reading, as far as a page can differ between readers of one region's data; what else
    of their own it shows (their unread notifications) is in the reader's data version."""
    user = request.user
    if not user.is_authenticated:
        return ("visitor",)
    roles = sorted((a.role, a.region_id, a.unit_id or 0) for a in user.active_roles)
    region = getattr(request, "region", None)
    return (user.pk, bool(user.is_national_admin), tuple(roles), getattr(region, "pk", None))


def cached_page(name: str, *, region_version=None):
    """Serve the view's page from the cache while its region's data is unchanged.

    `region_version(request, *args, reader_id=…, **kwargs)` gives (id, data version with the
    reader's) of the region the page shows (default: the region the signed-in reader works in),
    (None, "") when there is no such region: the view then runs as usual (and answers 404 or
    whatever it answers).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or _has_messages(request):
                return view(request, *args, **kwargs)
            # The version is read before the page is built: a change committing meanwhile can at
            # worst leave a new page under the old key, never an old page under the new one.
            reader = request.user.pk if request.user.is_authenticated else None
            if region_version is not None:
                region, version = region_version(request, *args, reader_id=reader, **kwargs)
            else:
                region = getattr(request.region, "pk", None)
                known = getattr(request, "versions_read", None)  # read by the sign-in check
                version = data_version(region, reader, known=known) if region is not None else ""
            if region is None:
                return view(request, *args, **kwargs)
            parts = (
                request.get_full_path(),
                get_language(),
                tuple(request.META.get(header, "") for header in _HTMX_HEADERS),
                timezone.localdate().isoformat(),
                *reader_signature(request),
            )
            key = cache_key(f"page-{name}", region_id=region, version=version, parts=parts)
            stored = _recent_pages.get(key) or caches["pages"].get(key)
            if stored is None:
                response = view(request, *args, **kwargs)
                if not _storable(request, response):
                    return response
                stored = StoredPage.from_response(response, request.META.get("CSRF_COOKIE"))
                caches["pages"].set(key, stored, TIMEOUT)
            _recent_pages.set(key, stored)
            return stored.respond(request)

        wrapper.cached_page = name
        return wrapper

    return decorator


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and not _has_messages(request)
    )

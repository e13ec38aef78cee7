"""What every API view shares: the region the request is about, who may act in it, the
language, conditional GET and cursor pagination."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.views import APIView

from lumbung.core.access import AccessRule
from lumbung.organisation.models import Region

from . import audit
from .serializers import ErrorSerializer

# The access middleware lets API requests through to DRF, which authenticates the token (the
# middleware only knows the session) and applies the rules below: deny unless a view says
# `public_read`, never write without an in-scope account and a read/write token.
API_RULE = AccessRule(public=True)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Data tidak valid / invalid input"),
    401: OpenApiResponse(ErrorSerializer, description="Tanpa token atau token ditolak / no or refused token"),
    403: OpenApiResponse(ErrorSerializer, description="Tidak berwenang / not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Tidak ditemukan / not found"),
    405: OpenApiResponse(ErrorSerializer, description="Metode tidak tersedia / method not allowed"),
    406: OpenApiResponse(ErrorSerializer, description="Format tidak tersedia / not acceptable"),
    409: OpenApiResponse(ErrorSerializer, description="Status sudah berubah / state changed"),
    415: OpenApiResponse(ErrorSerializer, description="Jenis isi tidak didukung / unsupported media type"),
    429: OpenApiResponse(ErrorSerializer, description="Terlalu banyak permintaan / throttled"),
}


def errors(*codes: int) -> dict:
    # 401, 404, 405, 406 and 429 can answer any request.
    return {code: ERRORS[code] for code in sorted({401, 404, 405, 406, 429, *codes})}


def request_language(request) -> str:
    """An API client names its language in Accept-Language (it has no cookie to choose with);
    otherwise the site's choice (the cookie) or Indonesian."""
    supported = {code for code, _label in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")[:200]):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"


class ApiView(APIView):
    access_rule = API_RULE
    # Reads without an account (or about another region than the token's) are refused unless
    # the view serves public data and says so.
    public_read = False
    # Which regions the view is about: views under /regions/<code>/ look it up from the URL.
    region_kwarg = "region_code"

    def initial(self, request, *args, **kwargs):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)
        self.region = None
        if self.region_kwarg in kwargs:
            self.region = get_object_or_404(Region, code=kwargs[self.region_kwarg], is_hosted=True)
        self.token = request.auth if hasattr(request.auth, "key_hash") else None
        self.viewer = self._viewer(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            self._check_write(request)
        elif not self.public_read and not self.viewer.is_authenticated:
            self._refuse(request)

    def _in_scope(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or self.region is None:
            return user.is_authenticated
        if self.token is not None:
            return self.token.region_id == self.region.pk
        return bool(user.roles_in(self.region))

    def _viewer(self, request):
        """The account whose permissions apply here: the caller in its own region(s), a visitor
        elsewhere."""
        return request.user if self._in_scope(request) else AnonymousUser()

    def _refuse(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        raise exceptions.PermissionDenied()

    def _check_write(self, request):
        if not self.viewer.is_authenticated:
            self._refuse(request)
        if self.token is not None and not self.token.can_write:
            raise exceptions.PermissionDenied(code="read_only_token")

    def perform_write(self, function, *args, **kwargs):
        """Run a service call with the token named in its audit rows."""
        with audit.writing_with(self.token):
            return function(*args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
        patch_vary_headers(response, ("Authorization", "Accept-Language", "Cookie"))
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not getattr(response, "streaming", False)
        ):
            response.render()
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
            wanted = [value.strip() for value in request.headers.get("If-None-Match", "").split(",")]
            if etag in wanted or "*" in wanted:
                not_modified = HttpResponseNotModified()
                for header in ("ETag", "Cache-Control", "Vary", "Content-Language"):
                    not_modified[header] = response[header]
                return not_modified
        return response

"""One shape for every error the API answers, in the request's language:

    {"error": {"code": "invalid", "message": "…", "fields": {"name": ["…"]}}}

`fields` is present (possibly empty) on every error; "__all__" holds errors about the whole
request. Django's own ValidationError from a service, a refused workflow step and a missing
object end up here too, so no bad request becomes a server error."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from lumbung.core.workflow import TransitionNotAllowed

ALL = "__all__"


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, item in value.items() for message in _messages(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def _fields_from_drf(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        fields = {}
        for key, value in detail.items():
            name = ALL if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS) else str(key)
            fields.setdefault(name, []).extend(_messages(value))
        return fields
    return {ALL: _messages(detail)}


def _fields_from_django(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ALL if key == NON_FIELD_ERRORS else key: [str(m) for m in value]
            for key, value in error.message_dict.items()
        }
    return {ALL: [str(message) for message in error.messages]}


def error_response(code: str, message: str, http_status: int, fields: dict | None = None, headers=None) -> Response:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return Response(body, status=http_status, headers=headers)


def _message_for(exc: exceptions.APIException) -> str:
    """Our own wording for the common cases; DRF's (translated) text otherwise."""
    known = {
        exceptions.NotAuthenticated: _("Sertakan token API (Authorization: Bearer <token>) atau masuk dahulu."),
        exceptions.PermissionDenied: _("Anda tidak berwenang melakukan tindakan ini."),
        exceptions.NotFound: _("Data tidak ditemukan."),
        exceptions.MethodNotAllowed: _("Metode ini tidak tersedia di alamat ini."),
        exceptions.ParseError: _("Isi permintaan tidak dapat dibaca."),
        exceptions.UnsupportedMediaType: _("Jenis isi permintaan tidak didukung."),
        exceptions.NotAcceptable: _("Format jawaban yang diminta tidak tersedia; gunakan application/json."),
    }
    for kind, message in known.items():
        if type(exc) is kind:
            return message
    if isinstance(exc, exceptions.Throttled):
        return _("Terlalu banyak permintaan; coba lagi dalam %(seconds)s detik.") % {"seconds": int(exc.wait or 1)}
    if isinstance(exc, exceptions.AuthenticationFailed):
        return str(exc.detail)
    return str(exc.detail) if isinstance(exc.detail, str) else _("Permintaan tidak dapat diproses.")


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]."""
    if isinstance(exc, DjangoValidationError):
        return error_response("invalid", _("Data tidak valid."), status.HTTP_400_BAD_REQUEST, _fields_from_django(exc))
    if isinstance(exc, TransitionNotAllowed):
        return error_response(
            "conflict",
            _("Tindakan ini tidak dapat dilakukan pada status sekarang; mungkin sudah diubah orang lain."),
            status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a genuine bug: let it be a 500 and be logged
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        return error_response("invalid", _("Data tidak valid."), exc.status_code, _fields_from_drf(exc.detail))
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else "error"
    return error_response(code, _message_for(exc), exc.status_code, headers=headers)

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .access import rule_of

logger = logging.getLogger(__name__)


class PageCompressionMiddleware(GZipMiddleware):
    """Gzip the pages, not the files.

    Pages shrink four to fifteen times (the planner from 160 KB to 11 KB), which matters on the
    slow connections of district offices. Downloads are left alone: evidence PDFs, ZIP packs and
    images are compressed already, and streaming them through gzip would drop their
    Content-Length. Django's GZipMiddleware pads its output against BREACH.
    """

    COMPRESSIBLE = ("text/html", "text/csv", "text/plain", "application/json")

    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)


class QueryStringMiddleware:
    """Drops NUL bytes from query-string values (`?q=%00`).

    Nobody types them, and PostgreSQL refuses them in any filter ("A string literal cannot
    contain NUL"), which made every list page with a search box a server error. Form posts are
    checked by the forms themselves (Django's CharField refuses NUL with a message).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for _key, values in request.GET.lists() for value in values):
            query = request.GET.copy()
            for key, values in query.lists():
                query.setlist(key, [value.replace("\x00", "") for value in values])
            query._mutable = False
            request.GET = query
        return self.get_response(request)


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language (cookie set by set_language).

    Unlike Django's LocaleMiddleware this ignores Accept-Language: staff phones are often set
    to English, but the service's working language is Indonesian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _label in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The choice belongs to this request; the thread's next piece of work starts in Indonesian.
            translation.deactivate()
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class AccessMiddleware:
    """Refuse every view that has not declared an access rule, and enforce the declared rule."""

    # The Django admin checks staff status itself; only national admins are staff.
    EXEMPT_NAMESPACES = frozenset({"admin"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and self.EXEMPT_NAMESPACES.intersection(match.namespaces):
            return None
        rule = rule_of(view_func)
        if rule is None:
            logger.error("View %s declares no access rule; refused.", getattr(match, "view_name", view_func))
            raise PermissionDenied
        if rule.public:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rule.allows(request.user, getattr(request, "region", None)):
            raise PermissionDenied
        return None

"""PDF documents rendered from Django templates with WeasyPrint."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _static_url_fetcher():
    """A WeasyPrint fetcher that resolves /static/... from disk so rendering never makes a
    network request (WeasyPrint 70 wants a URLFetcher instance, not a function)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    prefix = "file:///__static__/"

    class StaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(prefix):
                relative = url[len(prefix) :]
                path = finders.find(relative) or str(Path(settings.STATIC_ROOT) / relative)
                mime, _encoding = mimetypes.guess_type(path)
                return URLFetcherResponse(
                    url, Path(path).read_bytes(), {"Content-Type": mime or "application/octet-stream"}
                )
            if url.startswith(("http://", "https://")):
                raise ValueError(f"External resource refused while rendering PDF: {url}")
            return super().fetch(url, headers)

    return StaticFetcher()


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "pdf": True}, request=request)
    # Templates write {% static %} URLs (/static/...); map them onto the fetcher's prefix.
    html = html.replace(f'"{settings.STATIC_URL}', '"file:///__static__/')
    return HTML(string=html, base_url="file:///", url_fetcher=_static_url_fetcher()).write_pdf()

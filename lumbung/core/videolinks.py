"""Video links the public pages may show: https only, and only from the video hosts listed in
LUMBUNG_VIDEO_HOSTS (YouTube, Vimeo, Google Drive by default). Anything else is refused with a
message in Indonesian, so a showcase never links to an arbitrary site."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "drive.google.com")
VIDEO_HOSTS_MESSAGE = _("Tautan video harus https dari YouTube, Vimeo, atau Google Drive.")


def allowed_hosts() -> tuple[str, ...]:
    return tuple(getattr(settings, "LUMBUNG_VIDEO_HOSTS", DEFAULT_HOSTS))


def video_link_allowed(url: str) -> bool:
    """True for https://<allowed host or its subdomain>/..., with no user name, password or odd port."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme != "https" or not host or parts.username or parts.password or port not in (None, 443):
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts())

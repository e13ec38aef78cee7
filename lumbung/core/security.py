"""Security headers on every response (issue 12).

Content-Security-Policy allows scripts and styles from this site only: no inline <script>, no on*=
handlers, no style="" attributes (bar widths are set by static/js/app.js from data-bar-width).
Pictures may also come from the map's tile server (LUMBUNG_MAP_TILE_URL) and data: URIs (Leaflet).
Django's own middleware sets X-Frame-Options; the others are set here so they hold in every
environment, not only with the production settings.
"""

from urllib.parse import urlsplit

from django.conf import settings

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), "
    "geolocation=(self), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()"
)


def tile_origin(template: str) -> str:
    """https://tile.openstreetmap.org from https://tile.openstreetmap.org/{z}/{x}/{y}.png ("" if none).
    A {s} subdomain placeholder becomes a wildcard."""
    if not template:
        return ""
    parts = urlsplit(template.replace("{s}.", "*.").replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(*, error_page: bool = False) -> str:
    images = ["'self'", "data:"]
    tiles = tile_origin(getattr(settings, "LUMBUNG_MAP_TILE_URL", ""))
    if tiles:
        images.append(tiles)
    # The 500/503 pages carry their own few styles: they must render when nothing else works.
    styles = "'self' 'unsafe-inline'" if error_page else "'self'"
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": styles,
        "img-src": " ".join(images),
        "font-src": "'self'",
        "connect-src": "'self'",
        "media-src": "'self'",
        "object-src": "'none'",
        "frame-src": "'none'",
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# Third-party pages whose templates carry a <style> block (their scripts are files): styles only.
INLINE_STYLE_VIEWS = frozenset({"api:docs", "api:redoc"})


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()
        self.error_policy = content_security_policy(error_page=True)

    def __call__(self, request):
        response = self.get_response(request)
        view = getattr(getattr(request, "resolver_match", None), "view_name", "")
        relaxed = response.status_code >= 500 or view in INLINE_STYLE_VIEWS
        policy = self.error_policy if relaxed else self.policy
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

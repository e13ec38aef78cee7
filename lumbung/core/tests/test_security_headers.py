"""Security headers on every page, for every kind of visitor, and pages that need no inline script or
style (issue 12): the Content-Security-Policy refuses them, so one left behind would break a page."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lumbung.core.roles import Role
from lumbung.core.security import content_security_policy, tile_origin

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def _plain_urls():
    """Every named URL that takes no argument (GET), e.g. /beranda/, /inovasi/, /akun/masuk/."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters and namespace:
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    urls = []
    for name in sorted(set(names)):
        try:
            urls.append(reverse(name))
        except Exception:  # noqa: BLE001,S112 - a name with optional arguments: not a plain page
            continue
    return [url for url in urls if "keluar" not in url]  # signing out would end the session


def _check_headers(response, url):
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0], url
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, url
    if response.status_code < 500 and not url.startswith("/api/v1/"):
        assert "style-src 'self';" in policy, url
    assert response["Referrer-Policy"] == "same-origin", url
    assert "camera=()" in response["Permissions-Policy"], url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["X-Frame-Options"] == "DENY", url


def _check_no_inline_code(response, url):
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
    assert not HANDLER.search(html), (url, HANDLER.search(html).group(0))
    assert not STYLE_ATTRIBUTE.search(html), (url, STYLE_ATTRIBUTE.search(html).group(0))
    if not url.startswith(("/api/v1/docs/", "/api/v1/redoc/")):  # third-party template, allowed its <style>
        assert not STYLE_ELEMENT.search(html), url


@pytest.mark.parametrize("who", [None, Role.ADMIN, Role.OPERATOR, Role.VERIFIER, Role.CITIZEN, "national_admin"])
def test_every_plain_page_carries_the_headers_and_no_inline_code(client, world, who):
    if who == "national_admin":
        client.force_login(world.national_admin)
    elif who:
        client.force_login(world.user(who))
    urls = _plain_urls()
    assert len(urls) > 30
    checked = 0
    for url in urls:
        response = client.get(url)
        _check_headers(response, url)
        _check_no_inline_code(response, url)
        checked += response.status_code == 200
    assert checked >= 10


def test_files_and_errors_carry_them_too(client, world):
    _check_headers(client.get("/tidak-ada-halaman-ini/"), "404")
    client.force_login(world.user(Role.ADMIN))
    _check_headers(client.get("/tidak-ada-halaman-ini/"), "404 signed in")


def test_the_map_tiles_host_is_allowed_for_pictures_only(settings):
    settings.LUMBUNG_MAP_TILE_URL = "https://{s}.tile.example.id/{z}/{x}/{y}.png"
    policy = content_security_policy()
    assert "img-src 'self' data: https://*.tile.example.id" in policy
    assert "tile.example.id" not in policy.split("img-src")[0]
    assert tile_origin("") == "" and tile_origin("javascript:alert(1)") == ""
    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"

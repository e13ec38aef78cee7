"""Security headers on every page, for every kind of visitor, and pages that need no inline script or
style (issue 12): the Content-Security-Policy refuses them, so one left behind would break a page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lumbung.core.roles import Role
from lumbung.core.security import content_security_policy, tile_origin

from .headers import check_headers, check_no_inline_code

pytestmark = pytest.mark.django_db


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
        check_headers(response, url)
        check_no_inline_code(response, url)
        checked += response.status_code == 200
    assert checked >= 10


def test_files_and_errors_carry_them_too(client, world):
    check_headers(client.get("/tidak-ada-halaman-ini/"), "404")
    client.force_login(world.user(Role.ADMIN))
    check_headers(client.get("/tidak-ada-halaman-ini/"), "404 signed in")


def test_the_map_tiles_host_is_allowed_for_pictures_only(settings):
    settings.LUMBUNG_MAP_TILE_URL = "https://{s}.tile.example.id/{z}/{x}/{y}.png"
    policy = content_security_policy()
    assert "img-src 'self' data: https://*.tile.example.id" in policy
    assert "tile.example.id" not in policy.split("img-src")[0]
    assert tile_origin("") == "" and tile_origin("javascript:alert(1)") == ""
    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"

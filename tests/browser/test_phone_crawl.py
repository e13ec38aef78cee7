"""The 360 px crawl: every page a role can reach from its menu, and the pages those link to (one of
each kind: /inovasi/7/ stands for every innovation), answer and do not scroll sideways on a phone
(document.documentElement.scrollWidth <= clientWidth). Wide tables either become stacked cards
(.stack-on-phone) or scroll inside their own frame.

The world is the small two-region fixture with an innovation in each state that matters, so the
run stays within a few minutes; the accessibility smoke test checks the menu pages in more ways."""

import re
from urllib.parse import urlsplit

import pytest

from conftest import sign_in
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from tests.world import build_world

pytestmark = pytest.mark.browser

# Pages per role at most (a safety net; the small world has far fewer kinds of page).
MAX_PAGES = 80
# Links that leave the page's kind of GET-and-look: downloads, sign-out, language switching.
SKIP = re.compile(r"(\.(xlsx|csv|pdf|zip|json|png|svg|ics)$|/keluar/|/unduh|/ekspor|/berkas/|/lampiran/\d+/$|/api/)")

WIDTH_JS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
LINKS_JS = "() => [...document.querySelectorAll('main a[href], #site-nav a[href]')].map(a => a.getAttribute('href'))"


@pytest.fixture
def crawl_world(transactional_db, live_server, reference_data):
    world = build_world()
    for status in (Innovation.Status.PUBLISHED, Innovation.Status.SUBMITTED, Innovation.Status.DRAFT):
        InnovationFactory(region=world.region, unit=world.unit, status=status)
    InnovationFactory(region=world.region, unit=world.sibling_unit, status=Innovation.Status.SUBSTANCE_VERIFIED)
    return world


def _kind(path: str) -> str:
    """/inovasi/12/ubah/ and /inovasi/7/ubah/ are one kind of page."""
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def _local(href: str | None) -> str | None:
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.netloc and parts.netloc not in ("localhost", "127.0.0.1") and ":" not in parts.netloc:
        return None
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    path = parts.path
    if not path.startswith("/") or SKIP.search(path):
        return None
    return path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")


def crawl(page, start: list[str]) -> dict[str, str]:
    """Visit the start pages, then every page they link to (one per kind); return the problems."""
    problems: dict[str, str] = {}
    seen_kinds: set[str] = set()
    queue = [(path, 0) for path in start]
    visited = 0
    while queue and visited < MAX_PAGES:
        path, depth = queue.pop(0)
        kind = _kind(path.split("?")[0]) + ("?" + path.split("?")[1] if "?" in path else "")
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        response = page.goto(path)
        visited += 1
        if response is None or response.status >= 500:
            problems[path] = f"status {response.status if response else 'none'}"
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        scroll, client = page.evaluate(WIDTH_JS)
        if scroll > client:
            problems[path] = f"scrolls sideways: {scroll} px > {client} px"
        if depth < 1:
            for href in page.evaluate(LINKS_JS):
                local = _local(href)
                if local:
                    queue.append((local, depth + 1))
    return problems


def _menu(page) -> list[str]:
    links = page.locator("#site-nav ul a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return ["/beranda/", *dict.fromkeys(link for link in links if _local(link))]


@pytest.mark.parametrize("role", [*REGION_ROLES, Role.NATIONAL_ADMIN])
def test_no_page_a_role_reaches_scrolls_sideways_at_360_px(phone_page, crawl_world, role):
    user = crawl_world.national_admin if role == Role.NATIONAL_ADMIN else crawl_world.user(role)
    sign_in(phone_page, user.email)
    assert crawl(phone_page, _menu(phone_page)) == {}


def test_the_public_pages_do_not_scroll_sideways(phone_page, crawl_world):
    start = ["/", f"/publik/{crawl_world.region.code}/", "/lomba/", "/pengetahuan/", "/kegiatan/presensi/"]
    assert crawl(phone_page, start) == {}

"""Accessibility smoke test: every page a role's menu and home page offer, on a 360 px phone.

Each page must answer 200, carry a `lang`, have one h1 and no skipped heading level, label its
form controls, name its buttons and links, give images an alt, use each id once, not scroll
sideways (wide tables scroll inside their `table-wrap`; an empty table's message stays on the
screen; a long word breaks), and log no JavaScript or network error. The world is the small
two-region fixture, so the run stays well under a minute."""

import pytest

from conftest import sign_in
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from tests.world import build_world

pytestmark = pytest.mark.browser

# A file name as an innovator might paste it into a title: one word wider than a 360 px screen.
LONG_WORD = "Laporan_survei_kepuasan_masyarakat_Lampung_Barat_2026_final.pdf"

PUBLIC_PAGES = ["/", "/akun/masuk/", "/akun/daftar/", "/lomba/", "/pengetahuan/", "/kegiatan/presensi/"]

PROBLEMS_JS = r"""
() => {
  const problems = [];
  const root = document.documentElement;
  if (!root.lang) problems.push('no lang attribute');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(h1 + ' h1 elements');
  const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1]);
  levels.forEach((level, i) => { if (i && level > levels[i - 1] + 1) problems.push('heading h' + levels[i - 1] + ' → h' + level); });
  if (root.scrollWidth > root.clientWidth) problems.push('scrolls sideways: ' + root.scrollWidth + ' px');
  document.querySelectorAll('tbody > tr:only-child > td[colspan]:only-child').forEach(td => {
    if (td.getBoundingClientRect().right > root.clientWidth) problems.push('empty-list message runs off the screen');
  });
  const named = el => (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title') || '').trim();
  // Inside a closed <details> nothing is shown, whatever the browser reports of its boxes.
  const shown = el => !el.closest('details:not([open]) > :not(summary)') && !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  document.querySelectorAll('input, select, textarea').forEach(el => {
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)) return;
    if (!(el.labels && el.labels.length) && !named(el)) problems.push('unlabelled ' + el.outerHTML.slice(0, 100));
  });
  document.querySelectorAll('a[href], button').forEach(el => {
    const text = (el.innerText || '').trim() || [...el.querySelectorAll('img[alt]')].map(img => img.alt).join('');
    if (shown(el) && !text && !named(el)) problems.push('nameless ' + el.outerHTML.slice(0, 100));
  });
  document.querySelectorAll('img:not([alt])').forEach(img => problems.push('image without alt ' + img.src));
  const ids = {};
  document.querySelectorAll('[id]').forEach(el => { ids[el.id] = (ids[el.id] || 0) + 1; });
  Object.keys(ids).filter(id => ids[id] > 1).forEach(id => problems.push('duplicate id ' + id));
  return problems;
}
"""


@pytest.fixture
def small_world(transactional_db, live_server, reference_data):
    world = build_world()
    InnovationFactory(region=world.region, unit=world.unit, status=Innovation.Status.PUBLISHED)
    InnovationFactory(region=world.region, unit=world.sibling_unit)
    return world


def _problems_on(page, paths) -> dict[str, list[str]]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    found = {}
    for path in paths:
        errors.clear()
        response = page.goto(path)
        problems = [] if response.ok else [f"status {response.status}"]
        problems += page.evaluate(PROBLEMS_JS) + [f"console: {error}" for error in errors]
        if problems:
            found[path] = problems
    return found


def _offered_paths(page) -> list[str]:
    """The home page and every menu entry, as the signed-in user sees them."""
    links = page.locator("#site-nav ul a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return ["/beranda/", *dict.fromkeys(links)]


def test_public_pages(phone_page, small_world):
    showcase = f"/publik/{small_world.region.code}/"
    assert _problems_on(phone_page, [*PUBLIC_PAGES, showcase]) == {}


@pytest.mark.parametrize("role", [*REGION_ROLES, Role.NATIONAL_ADMIN])
def test_the_pages_of_each_role(phone_page, small_world, role):
    user = small_world.national_admin if role == Role.NATIONAL_ADMIN else small_world.user(role)
    sign_in(phone_page, user.email)
    paths = _offered_paths(phone_page)
    assert len(paths) > 1, "the menu offers pages"
    assert _problems_on(phone_page, paths) == {}


def test_a_long_word_wraps_on_a_phone(phone_page, small_world):
    """Headings, breadcrumbs and paragraphs outside the cards break a long word instead of
    pushing the page sideways."""
    region = small_world.region
    innovation = InnovationFactory(
        region=region, unit=small_world.unit, status=Innovation.Status.PUBLISHED, name=f"Portal {LONG_WORD}"
    )
    sign_in(phone_page, small_world.user(Role.ADMIN).email)
    paths = [f"/inovasi/{innovation.pk}/", f"/publik/{region.code}/inovasi/{innovation.pk}/", f"/publik/{region.code}/"]
    assert _problems_on(phone_page, paths) == {}

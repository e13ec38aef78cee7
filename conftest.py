import os

import pytest
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; the ORM would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LUMBUNG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# Hypothesis's per-example deadline is a timed test: on a loaded CI machine a first run that waits
# for the CPU fails with "DeadlineExceeded" although nothing is wrong. Speed is measured by the
# benchmarks (make bench, make loadtest), never by tests.
hypothesis_settings.register_profile("lumbung", deadline=None)
hypothesis_settings.load_profile("lumbung")


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters (login resets, check-in codes) and stored pages live in the caches, and
    pages and signed-in users in each process's own memory: each test starts with none (its
    database starts again from the same data versions)."""
    from tests.caches import forget_cached

    forget_cached()


@pytest.fixture
def reference_data(db):
    from lumbung.innovations.reference import load

    load()


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded files of the whole run go to a temporary folder (one per xdist worker)."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def db_tasks(settings):
    """Tasks go to the database queue that real worker processes read (lumbung.core.tests.realworkers)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab (Indonesian locale) against the live server."""
    context = chromium.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(15000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):
    context = chromium.new_context(
        locale="id-ID", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, base_url=live_server.url
    )
    context.set_default_timeout(15000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page, email, password="kata-sandi-uji-123"):  # noqa: S107 - the factories' test password
    page.goto("/akun/masuk/")
    page.get_by_label("Surel").fill(email)
    page.locator("#id_password").fill(password)  # Django translates the label as "Sandi"
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/beranda/")


def htmx_settled(page):
    """Wait until htmx has finished every request, swap and settle on the page.

    htmx binds the controls of swapped-in content only when it settles (a timer after the
    swap), so a test that changes a control the moment it appears can beat the binding on a
    loaded machine and the change goes nowhere.
    """
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")

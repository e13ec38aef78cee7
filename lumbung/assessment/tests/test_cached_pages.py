"""The leaders' dashboard, the overview and the verification queue: cached figures follow every
change (a service, a workflow's conditional UPDATE, a bulk write), are read from the cache on a
second view, and the pages read a fixed number of queries at 1,000 innovations."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lumbung.assessment.models import Answer, RowStatus
from lumbung.assessment.workflows import ROW
from lumbung.core.caching import region_writes
from lumbung.core.roles import Role
from tests.caches import forget_cached

from .factories import claim_with_evidence, enter

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(world, assessment):
    client = Client()
    client.force_login(world.user(Role.LEADER))
    return client


@pytest.fixture
def admin_client(admin, assessment):
    client = Client()
    client.force_login(admin)
    return client


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def _claimed(rows, operator):
    row = rows["I01"] if "I01" in rows else next(iter(rows.values()))
    claim_with_evidence(row, actor=operator, level=2, title="SK Inovasi", year=2025)
    row.refresh_from_db()
    return row


PAGES = {
    "dashboard": lambda assessment: reverse("assessment:dashboard"),
    "overview": lambda assessment: reverse("assessment:detail", args=[assessment.pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_figures_follow_a_service_change_and_a_transition(admin_client, assessment, rows, operator, verifier, page):
    url = PAGES[page](assessment)
    before = _get(admin_client, url)[0].context["awaiting"]
    row = _claimed(rows, operator)
    assert _get(admin_client, url)[0].context["awaiting"] == before + 1
    # The verdict through the state machine alone: a conditional UPDATE, no save signal.
    ROW[Answer].apply(row, "accept", actor=verifier, system=True)
    response = _get(admin_client, url)[0]
    assert response.context["awaiting"] == before
    assert response.context["status_counts"][RowStatus.ACCEPTED] == 1


@pytest.mark.parametrize("page", PAGES)
def test_figures_follow_a_bulk_write(admin_client, assessment, rows, page):
    url = PAGES[page](assessment)
    before = _get(admin_client, url)[0].context["awaiting"]
    with region_writes(assessment.region_id):
        Answer.objects.filter(pk__in=[row.pk for row in rows.values()]).update(status=RowStatus.CLAIMED, level=1)
    assert _get(admin_client, url)[0].context["awaiting"] == before + len(rows)


@pytest.mark.parametrize("page", PAGES)
def test_a_second_view_reads_the_figures_from_the_cache(admin_client, assessment, rows, page):
    url = PAGES[page](assessment)
    _get(admin_client, url)
    cold = _get(admin_client, url)[1]

    forget_cached()
    uncached = _get(admin_client, url)[1]
    assert cold < uncached


def _pdf_text(response) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_dashboard_pdf_is_cached_and_follows_a_change(admin_client, assessment, rows, operator, verifier):
    url = reverse("assessment:dashboard-pdf")
    first = admin_client.get(url)
    assert "Baris menunggu verifikasi: 0" in _pdf_text(first)
    with CaptureQueriesContext(connection) as queries:
        again = admin_client.get(url)
    assert again.content == first.content
    assert len(queries) <= 6  # session, user, roles, region, data version: no figures, no planner
    row = _claimed(rows, operator)
    assert "Baris menunggu verifikasi: 1" in _pdf_text(admin_client.get(url))
    ROW[Answer].apply(row, "accept", actor=verifier, system=True)
    assert "Baris menunggu verifikasi: 0" in _pdf_text(admin_client.get(url))


def test_the_queue_pages_in_sql(admin_client, assessment, admin, world, operator):
    """Rows are sliced in SQL: page 2 shows the rest, and both pages read the same queries."""
    entries = [enter(assessment, admin, unit=world.unit, name=f"Inovasi Antrean {n}") for n in range(3)]
    Answer.objects.filter(entry__in=entries).update(status=RowStatus.CLAIMED, level=1)
    waiting = Answer.objects.filter(entry__in=entries).count()
    assert waiting > 50
    url = reverse("assessment:queue", args=[assessment.pk])
    admin_client.get(reverse("assessment:dashboard"))  # the first request reads the user and roles
    first, first_queries = _get(admin_client, url)
    second, second_queries = _get(admin_client, url + "?page=2")
    shown = [row.pk for row in first.context["page_obj"]] + [row.pk for row in second.context["page_obj"]]
    assert len(shown) == len(set(shown)) == waiting
    assert first.context["page_obj"].paginator.count == waiting
    assert first_queries == second_queries


def test_pages_do_not_grow_at_1000_innovations(admin_client, assessment, admin, world, settings):
    """A region grown cheaply (bulk inserts) to 1,000 entered innovations × its rows."""
    from lumbung.assessment.models import Document

    from .bulk import grow

    document = Document.objects.create(
        region=world.region, title="SK", year=2026, kind=Document.Kind.LINK, link="https://contoh.go.id/sk",
        uploaded_by=admin,
    )  # fmt: skip
    template = enter(assessment, admin, unit=world.unit, name="Cetakan").innovation
    urls = [
        reverse("assessment:dashboard"),
        reverse("assessment:detail", args=[assessment.pk]),
        reverse("assessment:queue", args=[assessment.pk]),
    ]
    # One row waiting, so the queue reads its page of rows at both sizes.
    Answer.objects.filter(entry__innovation=template).update(status=RowStatus.CLAIMED, level=1)
    small = []
    for url in urls:
        forget_cached()
        small.append(_get(admin_client, url)[1])
    with region_writes(world.region.pk):
        grow(assessment, 999, actor=admin, units=[world.unit], template=template, document=document)
    assert assessment.entries.count() == 1000
    for url, queries in zip(urls, small, strict=True):
        forget_cached()
        assert _get(admin_client, url)[1] == queries, url


def test_the_verifiers_home_panel_follows_a_change(rf, world, assessment, rows, operator, verifier):
    from lumbung.assessment.nav import verifier_panel

    request = rf.get("/")
    request.user, request.region = verifier, world.region
    before = verifier_panel(request)["awaiting"]
    with CaptureQueriesContext(connection) as queries:
        assert verifier_panel(request)["awaiting"] == before
    assert len(queries) == 2  # the assessment and the data version
    row = _claimed(rows, operator)
    assert verifier_panel(request)["awaiting"] == before + 1
    ROW[Answer].apply(row, "accept", actor=verifier, system=True)
    assert verifier_panel(request)["awaiting"] == before


def test_the_planner_reads_its_plan_from_the_cache_and_follows_every_change(
    admin_client, assessment, rows, operator, verifier
):
    from lumbung.assessment.services import row_transition

    claimed = reverse("assessment:planner", args=[assessment.pk]) + "?proyeksi=claimed"
    verified = reverse("assessment:planner", args=[assessment.pk])
    first, computed = _get(admin_client, claimed)
    assert _get(admin_client, claimed)[1] < computed  # the second view reads the plan from the cache
    verified_before = _get(admin_client, verified)[0].context["plan"].result.iid

    row = _claimed(rows, operator)  # a level claimed with evidence: the claimed index rises at once
    assert _get(admin_client, claimed)[0].context["plan"].result.iid > first.context["plan"].result.iid
    assert _get(admin_client, verified)[0].context["plan"].result.iid == verified_before
    row_transition(row=row, action="accept", actor=verifier)  # ... and the verified one once accepted
    assert _get(admin_client, verified)[0].context["plan"].result.iid > verified_before


def test_the_matrix_reads_its_page_from_the_cache_and_follows_every_change(
    admin_client, assessment, rows, operator, verifier
):
    from lumbung.assessment.services import row_transition

    url = reverse("assessment:matrix", args=[assessment.pk])
    first, computed = _get(admin_client, url)
    assert _get(admin_client, url)[1] < computed  # the second view reads the page from the cache
    row = rows["I01"] if "I01" in rows else next(iter(rows.values()))  # the row _claimed claims
    cell = f'" href="{reverse("assessment:row-detail", args=["inovasi", row.pk])}"'
    assert f"cell-claimed{cell}" not in first.content.decode()

    _claimed(rows, operator)
    assert f"cell-claimed{cell}" in _get(admin_client, url)[0].content.decode()
    row_transition(row=row, action="accept", actor=verifier)
    assert f"cell-accepted{cell}" in _get(admin_client, url)[0].content.decode()


def test_an_operator_sees_only_their_units_matrix_even_after_an_admin_read_it(
    admin_client, assessment, admin, world, operator
):
    enter(assessment, admin, unit=world.unit, name="Inovasi Unit Sendiri")
    enter(assessment, admin, unit=world.sibling_unit, name="Inovasi Unit Tetangga")
    url = reverse("assessment:matrix", args=[assessment.pk])
    assert "Inovasi Unit Tetangga" in _get(admin_client, url)[0].content.decode()
    client = Client()
    client.force_login(operator)
    html = _get(client, url)[0].content.decode()
    assert "Inovasi Unit Sendiri" in html and "Inovasi Unit Tetangga" not in html


def test_the_stored_queue_follows_a_claim_and_a_verdict(admin_client, assessment, rows, operator, verifier):
    """The whole queue page is stored (core.pagecache): a claim shows on the next read, a verdict
    takes it off, and between two changes the page is served without being rendered."""
    from lumbung.assessment.services import row_transition

    url = reverse("assessment:queue", args=[assessment.pk])
    row = rows["I01"] if "I01" in rows else next(iter(rows.values()))  # the row _claimed claims
    link = reverse("assessment:row-detail", args=["inovasi", row.pk])
    assert link not in _get(admin_client, url)[0].content.decode()
    assert _get(admin_client, url)[0].context is None  # stored
    _claimed(rows, operator)
    assert link in _get(admin_client, url)[0].content.decode()
    row_transition(row=row, action="accept", actor=verifier)
    assert link not in _get(admin_client, url)[0].content.decode()


def test_the_stored_pages_of_two_readers_stay_their_own(admin_client, assessment, world, admin, operator):
    """The admin's stored overview and queue never reach an operator of the same region."""
    enter(assessment, admin, unit=world.sibling_unit, name="Inovasi Unit Tetangga")
    client = Client()
    client.force_login(operator)
    for url in (reverse("assessment:queue", args=[assessment.pk]), reverse("assessment:detail", args=[assessment.pk])):
        _get(admin_client, url)
        _get(admin_client, url)
        response = client.get(url)
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            assert f'class="user-link">{operator.get_short_name()}<' in response.content.decode()

"""The matrix and the planner a page at a time: the union of their pages shows the same cells and
gains as the one-page implementation (tests/legacy.py), on the demo and on a region of 1,000
innovations, in a number of queries that does not grow; the what-if opens one innovation at a time;
matrix.xlsx is written row by row with the same rows as before, from the worker when large."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from lumbung.assessment import grid, reports
from lumbung.assessment.models import Assessment, Entry, RowStatus
from lumbung.core.roles import Role
from lumbung.frameworks.planner import Projection
from tests.caches import forget_cached

from . import legacy
from .bulk import grow
from .factories import DocumentFactory, enter

pytestmark = pytest.mark.django_db


def _matrix_union(client, assessment, **query) -> tuple[dict, dict]:
    """Every cell of every page, and the counts shown above them."""
    url = reverse("assessment:matrix", args=[assessment.pk])
    cells, number = {}, 1
    while True:
        forget_cached()  # the page is computed, so its context carries the matrix it rendered
        response = client.get(url, {**query, "page": number})
        assert response.status_code == 200
        for row in response.context["matrix"].rows:
            for indicator, cell in zip(response.context["matrix"].indicators, row.cells, strict=True):
                if cell is not None:
                    key = (row.entry.pk, indicator.code)
                    assert key not in cells  # no entry on two pages
                    cells[key] = (cell.answer_id, cell.status, cell.level, cell.has_evidence, cell.gap)
        page = response.context["page_obj"]
        if not page.has_next():
            return cells, response.context["counts"]
        number += 1


def _planner_pages(client, assessment, projection, numbers=None) -> tuple[dict, object]:
    """The actions of the planner's pages (all of them, or those `numbers`) by page number."""
    url = reverse("assessment:planner", args=[assessment.pk])
    shown, number = {}, 1
    while True:
        response = client.get(url, {"proyeksi": projection, "page": number})
        assert response.status_code == 200 and response.context["page_obj"].number == number
        html = response.content.decode()
        shown[number] = [legacy.action_key(item["action"]) for item in response.context["actions"]]
        for item in response.context["actions"]:
            assert f'data-gain="{item["action"].gain}"' in html
        last = response.context["page_obj"].paginator.num_pages
        numbers = numbers or range(1, last + 1)
        later = [n if n > 0 else last + 1 + n for n in numbers]
        later = [n for n in later if n > number]
        if not later:
            return shown, response.context["plan"].result
        number = min(later)


def _legacy_counts(cells) -> dict:
    counts = dict.fromkeys(RowStatus.values, 0)
    for _pk, status, _level, _evidence, _gap in cells.values():
        counts[status] += 1
    return {**counts, "gaps": sum(1 for value in cells.values() if value[4])}


def _same_as_one_page(client, assessment, planner_pages=None):
    """Every matrix page, and the planner's pages (all, or `planner_pages`; -1 is the last)."""
    cells, counts = _matrix_union(client, assessment)
    reference = legacy.matrix_cells(assessment)
    assert cells == reference and counts == _legacy_counts(reference)
    for projection in Projection:
        shown, result = _planner_pages(client, assessment, projection, planner_pages)
        old = [legacy.action_key(action) for action in legacy.plan_of(assessment, projection).actions]
        size = grid.PAGE_SIZE
        assert shown and all(keys == old[(n - 1) * size : n * size] for n, keys in shown.items())
        if planner_pages is None:
            assert sum(len(keys) for keys in shown.values()) == len(old)
        assert result.iid == legacy.plan_of(assessment, projection).result.iid


def test_the_demo_pages_show_the_cells_and_gains_of_the_one_page_implementation(client):
    from lumbung.accounts.models import User

    call_command("load_demo", verbosity=0, quiet_logins=True)
    client.force_login(User.objects.get(email="admin@lambar.test"))
    assessment = (
        Assessment.objects.filter(region__code="18.04", entries__isnull=False).distinct().order_by("-year").first()
    )
    assert assessment.entries.count() > grid.PAGE_SIZE  # more than one page
    _same_as_one_page(client, assessment)


@pytest.fixture
def big(world, assessment, admin):
    """The assessment with 1,000 entered innovations × 20 rows (bulk inserts)."""
    first = enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
    document = DocumentFactory(region=world.region, uploaded_by=admin)
    grow(assessment, 999, actor=admin, units=[world.unit, world.sibling_unit], template=first.innovation,
         document=document)  # fmt: skip
    return assessment


class TestAThousandInnovations:
    def test_pages_match_the_one_page_implementation(self, client, big, admin):
        client.force_login(admin)
        # Every matrix page; the planner's first pages, one in the middle and the last (each
        # planner page ranks the whole region, so all ~600 pages would only repeat that).
        _same_as_one_page(client, big, planner_pages=[1, 2, 3, 200, -1])

    @pytest.mark.parametrize("name", ["assessment:matrix", "assessment:planner"])
    def test_queries_do_not_grow(self, name, client, world, assessment, admin, django_assert_max_num_queries):
        client.force_login(admin)
        url = reverse(name, args=[assessment.pk])
        enter(assessment, admin, unit=world.unit)
        client.get(url)  # warm caches (spec per framework revision, session)
        forget_cached()  # both measured reads compute the page (the planner caches it per data version)
        with django_assert_max_num_queries(30) as small:
            client.get(url)
        grow(assessment, 999, actor=admin, units=[world.unit], template=Entry.objects.first().innovation,
             document=DocumentFactory(region=world.region, uploaded_by=admin))  # fmt: skip
        forget_cached()
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(url, {"page": 3})
        assert response.status_code == 200

    def test_the_workbook_has_the_rows_of_the_one_page_export(self, client, big, admin):
        client.force_login(admin)
        response = client.get(reverse("assessment:matrix-export", args=[big.pk]))
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        old = reports.matrix_sheets(big, reports.completeness_matrix(big, Entry.objects.filter(assessment=big)))
        for name, headers, rows in old:
            values = list(workbook[name].iter_rows(values_only=True))
            assert list(values[1]) == [str(header) for header in headers]
            assert [tuple("" if value is None else value for value in row) for row in values[2:]] == [
                tuple(row) for row in rows
            ]


class TestFilters:
    def test_by_status_indicator_and_unit(self, client, world, assessment, admin):
        client.force_login(admin)
        first = enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
        grow(assessment, 60, actor=admin, units=[world.unit, world.sibling_unit], template=first.innovation,
             document=DocumentFactory(region=world.region, uploaded_by=admin))  # fmt: skip
        indicator = assessment.framework.indicators.get(code="17")
        reference = legacy.matrix_cells(assessment)
        rejected = {entry for (entry, code), cell in reference.items() if code == "17" and cell[1] == "rejected"}
        cells, counts = _matrix_union(client, assessment, indikator=indicator.pk, status="rejected")
        assert {entry for entry, _code in cells} == rejected and {code for _entry, code in cells} == {"17"}
        assert counts["rejected"] == sum(
            1 for (_e, code), c in reference.items() if code == "17" and c[1] == "rejected"
        )
        gaps = {entry for key, cell in reference.items() if cell[4] for entry in [key[0]]}
        cells, _counts = _matrix_union(client, assessment, status=grid.GAP)
        assert {entry for entry, _code in cells} == gaps
        cells, counts = _matrix_union(client, assessment, unit=world.sibling_unit.pk)
        mine = set(Entry.objects.filter(innovation__unit=world.sibling_unit).values_list("pk", flat=True))
        assert {entry for entry, _code in cells} == mine
        assert counts["gaps"] == sum(1 for (entry, _c), cell in reference.items() if entry in mine and cell[4])

    def test_the_planner_narrowed_to_a_unit_keeps_the_regions_ranking(self, client, world, assessment, admin):
        client.force_login(admin)
        first = enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
        grow(assessment, 30, actor=admin, units=[world.unit, world.sibling_unit], template=first.innovation,
             document=DocumentFactory(region=world.region, uploaded_by=admin))  # fmt: skip
        old = legacy.plan_of(assessment, Projection.VERIFIED).actions
        sibling = {
            str(pk) for pk in Entry.objects.filter(innovation__unit=world.sibling_unit).values_list("pk", flat=True)
        }
        expected = [legacy.action_key(action) for action in old if action.innovation_id in sibling][:25]
        response = client.get(reverse("assessment:planner", args=[assessment.pk]), {"unit": world.sibling_unit.pk})
        assert [legacy.action_key(item["action"]) for item in response.context["actions"]] == expected


class TestWhatIfOneInnovationAtATime:
    def test_the_fragment_and_the_index_it_computes(self, client, world, assessment, admin):
        client.force_login(admin)
        entry = enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
        other = enter(assessment, admin, unit=world.sibling_unit, name="Posyandu Digital Pekon")
        page = client.get(reverse("assessment:planner", args=[assessment.pk])).content.decode()
        # The planner lists the innovations; their selects are not on the page until opened.
        assert f'name="inv-{entry.pk}-16"' not in page and "Posyandu Digital Pekon" in page
        url = reverse("assessment:whatif-entry", args=[assessment.pk, entry.pk])
        assert url in page
        fragment = client.get(url, HTTP_HX_REQUEST="true")
        html = fragment.content.decode()
        assert fragment.templates[0].name == "assessment/_whatif_entry.html"
        assert html.count("<select") == 20 and f'name="inv-{entry.pk}-35"' in html and "<html" not in html
        assert "Posyandu" not in html
        full = client.get(url)
        assert full.templates[0].name == "assessment/whatif_entry.html"
        # One innovation changed; the other keeps its levels (none counts yet: nothing accepted).
        data = {"spd-8": "3", f"inv-{entry.pk}-35": "3", "base_iid": "0.00"}
        response = client.post(reverse("assessment:whatif", args=[assessment.pk]), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        # SPD 1.5 × 3 + (4 × 3) / 12 = 5.5 of 250 = 2.20
        assert "2,20" in response.content.decode()
        assert other.pk  # still entered, counted with its levels

    def test_an_entry_of_another_assessment_or_not_counted_is_not_found(self, client, world, assessment, admin):
        from .factories import open_assessment

        client.force_login(admin)
        later = open_assessment(world.region, admin, year=2027)
        foreign = enter(later, admin, unit=world.unit)
        assert client.get(reverse("assessment:whatif-entry", args=[assessment.pk, foreign.pk])).status_code == 404
        response = client.post(reverse("assessment:whatif", args=[assessment.pk]), {f"inv-{foreign.pk}-16": "3"})
        assert response.status_code == 400 and "tidak dihitung" in response.content.decode()

    def test_operators_do_not_open_it(self, client, world, assessment, admin):
        entry = enter(assessment, admin, unit=world.unit)
        client.force_login(world.user(Role.OPERATOR))
        response = client.get(reverse("assessment:whatif-entry", args=[assessment.pk, entry.pk]))
        assert response.status_code in (403, 404)


def test_a_large_export_runs_in_the_worker(client, world, assessment, admin, monkeypatch):
    from lumbung.core.models import Job

    monkeypatch.setattr(grid, "EXPORT_IN_WORKER", 1)
    client.force_login(admin)
    enter(assessment, admin, unit=world.unit)
    enter(assessment, admin, unit=world.sibling_unit)
    response = client.get(reverse("assessment:matrix-export", args=[assessment.pk]))
    job = Job.objects.get(kind="matrix_export")
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    assert job.status == Job.Status.SUCCEEDED and job.progress == job.total == 2
    workbook = load_workbook(job.result_file.open("rb"), read_only=True)
    assert len(list(workbook["Matriks kelengkapan"].iter_rows(values_only=True))) == 4

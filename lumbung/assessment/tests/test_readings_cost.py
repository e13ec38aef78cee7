"""What the readings panel costs: the index is computed once for each reading that changes this
region's input (and once for the index now, unless the planner's plan gives it), the what-if reads
the saved answers once for itself and for the panel, and keeps the panel under the region's data
version between tries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lumbung.assessment import readings
from lumbung.assessment.planning import plan_for
from lumbung.assessment.readings import reading_alternatives
from lumbung.frameworks.planner import Projection

from .factories import affair, enter

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(monkeypatch):
    """Each call of the engine by the readings (the real engine, counted)."""
    calls = []
    real = readings.compute

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(readings, "compute", counted)
    return calls


@pytest.fixture
def main_affair_only_matters(entry):
    """Five basic-service affairs with the related ones, one with the main affair alone."""
    entry.innovation.main_affair = affair("pendidikan")
    entry.innovation.save()
    entry.innovation.related_affairs.set([affair(code) for code in ("kesehatan", "pupr", "perumahan", "trantibum")])
    return entry


def test_a_region_no_reading_changes_computes_no_index(assessment, entry, computed):
    for projection in Projection:
        assert reading_alternatives(assessment, projection) == []
    assert computed == []


def test_the_index_is_computed_for_now_and_for_each_reading_that_changes_something(
    assessment, main_affair_only_matters, computed
):
    [coverage] = reading_alternatives(assessment, Projection.VERIFIED)
    assert coverage.name == "basic_service_coverage" and len(computed) == 2  # now, and main affairs only
    computed.clear()
    # The planner gives the index now from its plan (the same figure): only the reading is computed.
    assert plan_for(assessment, Projection.VERIFIED)[0].result.iid == coverage.now
    assert reading_alternatives(assessment, Projection.VERIFIED, now=coverage.now) == [coverage]
    assert len(computed) == 1


def _reads_of(queries, table: str) -> int:
    return sum(1 for query in queries if f'FROM "{table}"' in query["sql"])


def test_the_what_if_reads_the_answers_once_and_keeps_the_panel_between_tries(
    client, assessment, main_affair_only_matters, admin, world, computed
):
    client.force_login(admin)
    url = reverse("assessment:whatif", args=[assessment.pk])
    with CaptureQueriesContext(connection) as first:
        response = client.post(url, {"proyeksi": "verified"})
    assert response.status_code == 200
    assert "bila Hanya urusan utama inovasi yang dihitung: IID 0,00 (sekarang 0,15)" in response.content.decode()
    # The SPD answers and the innovations' rows, once for the what-if and the panel together.
    assert _reads_of(first, "assessment_regionanswer") == 1
    assert _reads_of(first, "assessment_answer") == 2  # the planner's rows; the unrounded values
    assert len(computed) == 2

    computed.clear()
    with CaptureQueriesContext(connection) as again:
        response = client.post(url, {"proyeksi": "verified", "spd-1": "3"})
    assert response.status_code == 200 and computed == []  # the panel from the cache
    assert _reads_of(again, "assessment_regionanswer") == 1
    assert _reads_of(again, "assessment_answer") == 1
    assert len(again) < len(first)

    # A saved change (another innovation entered) moves the region's data version: built afresh.
    enter(assessment, admin, unit=world.unit, name="Layanan Kependudukan Keliling")
    response = client.post(url, {"proyeksi": "verified"})
    assert len(computed) == 2
    assert response.context["readings"] == reading_alternatives(assessment, Projection.VERIFIED)


def test_the_what_if_queries_do_not_grow_with_the_innovations(client, assessment, entry, admin, world):
    client.force_login(admin)
    url = reverse("assessment:whatif", args=[assessment.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, {"proyeksi": "claimed"}).status_code == 200
        return len(captured)

    # The first request reads the session and the user, the next ones keep them; a request of
    # another page, so that the what-if is computed by the first one measured.
    client.get(reverse("core:home"))
    few = queries()
    for number in range(4):
        enter(assessment, admin, unit=world.unit, name=f"Inovasi Tambahan {number}")
    assert queries() == few

"""The cached public pages: a change is on the next read, whatever wrote it (a form save, a
workflow transition's conditional UPDATE, a bulk write), and a second read hits the cache."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lumbung.core.caching import region_writes
from lumbung.innovations.models import Innovation
from lumbung.innovations.workflows import REVIEW

from .factories import InnovationFactory

pytestmark = pytest.mark.django_db
S = Innovation.Status


def _pages(world, innovation) -> dict:
    code = world.region.code
    return {
        "showcase": reverse("showcase:index", args=[code]),
        "detail": reverse("showcase:detail", args=[code, innovation.pk]),
        "json": reverse("showcase:open-data-json", args=[code]),
        "csv": reverse("showcase:open-data-csv", args=[code]),
    }


def _read(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.fixture
def shown(world, reference_data):
    return InnovationFactory(region=world.region, unit=world.unit, status=S.PUBLISHED, name="Lapak Kopi Liwa")


@pytest.mark.parametrize("page", ["showcase", "detail", "json", "csv"])
def test_a_second_read_comes_from_the_cache(world, shown, page):
    client, url = Client(), _pages(world, shown)[page]
    first, cold = _read(client, url)
    second, warm = _read(client, url)
    assert warm < cold
    assert warm <= 2  # the region and its data version
    if page == "csv":  # the pages carry a fresh CSRF token each time, the JSON its making time
        assert second == first


@pytest.mark.parametrize("page", ["showcase", "detail", "json", "csv"])
def test_a_saved_change_shows_on_the_next_read(world, shown, page):
    client, url = Client(), _pages(world, shown)[page]
    assert "Lapak Kopi Liwa" in _read(client, url)[0]
    shown.name = "Lapak Kopi Sekincau"
    shown.save()
    body = _read(client, url)[0]
    assert "Lapak Kopi Sekincau" in body
    assert "Lapak Kopi Liwa" not in body


@pytest.mark.parametrize("page", ["showcase", "json", "csv"])
def test_a_transition_shows_on_the_next_read(world, shown, page):
    """Publishing goes through the state machine's conditional UPDATE, which sends no signal."""
    pending = InnovationFactory(
        region=world.region, unit=world.unit, status=S.SUBSTANCE_VERIFIED, name="Pojok Baca Pekon"
    )
    client, url = Client(), _pages(world, shown)[page]
    assert "Pojok Baca Pekon" not in _read(client, url)[0]
    REVIEW.apply(pending, "publish", actor=world.user("admin"), system=True)
    assert "Pojok Baca Pekon" in _read(client, url)[0]


def test_an_unpublished_record_leaves_its_cached_page(world, shown):
    client, url = Client(), _pages(world, shown)["detail"]
    _read(client, url)
    REVIEW.apply(shown, "unpublish", actor=world.user("admin"), system=True, note="Data belum lengkap")
    assert client.get(url).status_code == 404


def test_an_unpublished_record_is_gone_on_the_next_read(world, shown):
    client, url = Client(), _pages(world, shown)["detail"]
    _read(client, url)
    Innovation.objects.filter(pk=shown.pk).update(status=S.RETURNED)  # a bulk write with no signal ...
    assert client.get(url).status_code == 200  # ... is not seen until its writer says so
    with region_writes(world.region.pk):
        pass
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["showcase", "json", "csv"])
def test_a_bulk_write_shows_on_the_next_read(world, shown, page):
    client, url = Client(), _pages(world, shown)[page]
    _read(client, url)
    with region_writes(world.region.pk):  # how imports and worker tasks write
        Innovation.objects.filter(pk=shown.pk).update(name="Lapak Kopi Massal")
    assert "Lapak Kopi Massal" in _read(client, url)[0]


def test_the_cache_is_per_query_and_per_language(world, shown):
    client, url = Client(), _pages(world, shown)["showcase"]
    other = InnovationFactory(region=world.region, unit=world.unit, status=S.PUBLISHED, name="Gerai Sampah")
    assert "Gerai Sampah" in _read(client, url)[0]
    # A write that (wrongly) tells nobody: the cached page stays as it was ...
    Innovation.objects.filter(pk=other.pk).update(name="Gerai Plastik")
    assert "Gerai Plastik" not in _read(client, url)[0]
    # ... and another query or another language is another entry.
    assert "Gerai Plastik" in _read(client, url + "?page=1")[0]
    client.cookies["lumbung_language"] = "en"
    assert "Gerai Plastik" in _read(client, url)[0]


def test_other_regions_keep_their_cache(world, shown, reference_data):
    from lumbung.core.caching import data_version

    other = data_version(world.other_region.pk)
    shown.save()
    assert data_version(world.other_region.pk) == other

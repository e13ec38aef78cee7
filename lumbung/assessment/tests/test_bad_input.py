"""Malformed ids and numbers in posts and query strings: a page, never a server error."""

import pytest
from django.urls import reverse

from lumbung.assessment.models import EvidenceLink
from lumbung.core.roles import Role

from .factories import DocumentFactory, enter

NOT_IDS = [str(10**20), "²", "abc", "-1", "a\x00b"]


def row_url(row, name):
    return reverse(name, args=[row.scope, row.pk])


@pytest.mark.parametrize("value", NOT_IDS)
def test_attaching_documents_by_malformed_ids_attaches_only_the_real_ones(client, world, rows, operator, value):
    document = DocumentFactory(region=world.region, uploaded_by=operator)
    client.force_login(operator)
    response = client.post(row_url(rows["17"], "assessment:row-attach"), {"documents": [value, str(document.pk)]})
    assert response.status_code == 302
    assert list(EvidenceLink.objects.values_list("document", flat=True)) == [document.pk]


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_bulk_attach_panel_ignores_malformed_ids(client, assessment, operator, value):
    client.force_login(operator)
    url = reverse("assessment:bulk-attach", args=[assessment.pk])
    response = client.get(url, {"documents": [value], "rows": [f"inovasi-{value}"]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200


@pytest.mark.parametrize("value", NOT_IDS)
def test_library_and_entry_filters_ignore_malformed_values(client, assessment, admin, value):
    client.force_login(admin)
    library = client.get(reverse("assessment:library", args=[assessment.pk]), {"tahun": value, "q": value})
    entries = client.get(reverse("assessment:entries", args=[assessment.pk]), {"unit": value})
    assert (library.status_code, entries.status_code) == (200, 200)


@pytest.mark.parametrize("base", ["NaN", "-Infinity", "1e400", "abc"])
def test_what_if_with_a_malformed_starting_index_shows_the_result_without_a_difference(
    client, entry, assessment, admin, base
):
    client.force_login(admin)
    data = {"spd-8": "3", "base_iid": base}
    response = client.post(reverse("assessment:whatif", args=[assessment.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "delta" not in response.context


@pytest.mark.parametrize("code", ["28", "31", "32"])  # days and months (fewer is better), and a count
def test_a_negative_count_of_days_months_or_regions_is_refused_not_scored(client, year_2026, world, code):
    """Under the 2026 methodology as shipped, -3 days of service time would earn the top level."""
    entry = enter(year_2026, world.user(Role.ADMIN), unit=world.unit)
    row = entry.answers.get(indicator__code=code)
    client.force_login(world.user(Role.ADMIN))
    response = client.post(row_url(row, "assessment:row-detail"), {"measured_value": "-3"})
    assert response.status_code == 200
    assert "tidak boleh negatif" in response.content.decode()
    row.refresh_from_db()
    assert (row.level, row.measured_value) == (0, None)
    assert client.post(row_url(row, "assessment:row-detail"), {"measured_value": "0"}).status_code == 302


def test_a_negative_growth_percentage_is_still_a_number_that_scores(client, year_2026, world):
    row = year_2026.region_answers.get(indicator__code="3")  # licensing growth in percent
    client.force_login(world.user(Role.ADMIN))
    assert client.post(row_url(row, "assessment:row-detail"), {"measured_value": "-12,5"}).status_code == 302
    row.refresh_from_db()
    assert row.level == 2


def test_a_count_must_be_whole(client, year_2026, world):
    entry = enter(year_2026, world.user(Role.ADMIN), unit=world.unit)
    row = entry.answers.get(indicator__code="31")  # regions that replicated the innovation
    client.force_login(world.user(Role.ADMIN))
    response = client.post(row_url(row, "assessment:row-detail"), {"measured_value": "1,5"})
    assert "harus bilangan bulat" in response.content.decode()
    row.refresh_from_db()
    assert (row.level, row.measured_value) == (0, None)
    assert client.post(row_url(row, "assessment:row-detail"), {"measured_value": "2"}).status_code == 302


def test_a_saved_measured_value_is_shown_as_typed_without_the_columns_trailing_zeros(client, year_2026, world):
    row = year_2026.region_answers.get(indicator__code="3")
    client.force_login(world.user(Role.ADMIN))
    client.post(row_url(row, "assessment:row-detail"), {"measured_value": "12,5"})
    page = client.get(row_url(row, "assessment:row-detail")).content.decode()
    assert 'value="12,5"' in page and "12,5000" not in page
    client.post(row_url(row, "assessment:row-detail"), {"measured_value": "100"})
    page = client.get(row_url(row, "assessment:row-detail")).content.decode()
    assert 'value="100"' in page

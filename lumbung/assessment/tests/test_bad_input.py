"""Malformed ids and numbers in posts and query strings: a page, never a server error."""

import pytest
from django.urls import reverse

from lumbung.assessment.models import EvidenceLink

from .factories import DocumentFactory

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

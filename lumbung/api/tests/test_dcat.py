"""The DCAT catalogues (JSON-LD) that portals harvest: their structure, stable addresses that
lead to the open-data files, dates and licence, and no personal data."""

import pytest
from django.urls import reverse

from lumbung.accounts.models import User
from lumbung.core.roles import Role
from lumbung.innovations.models import TeamMember
from lumbung.innovations.tests.factories import InnovationFactory


@pytest.fixture
def published(world):
    innovation = InnovationFactory(
        region=world.region, unit=world.unit, status="published", created_by=world.user(Role.ADMIN),
        initiator_kind="civil_servant", initiator_name="Tim Diskominfo",
    )  # fmt: skip
    TeamMember.objects.create(innovation=innovation, official=world.official, role=TeamMember.Role.OWNER)
    TeamMember.objects.create(innovation=innovation, user=world.user(Role.INNOVATOR), role=TeamMember.Role.MEMBER)
    InnovationFactory(region=world.region, unit=world.unit, name="Draf rahasia")
    return innovation


def _dataset_of(catalogue, region):
    return next(d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == f"inovasi-daerah-{region.code}")


def test_the_deployment_catalogue_lists_each_hosted_regions_dataset(world, published, anonymous):
    response = anonymous.get(reverse("api:dcat"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    catalogue = response.json()
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalogue["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert catalogue["@id"].endswith("/api/v1/dcat/")
    for key in ("dct:title", "dct:description", "dct:license", "dct:publisher", "dct:issued", "dct:modified"):
        assert catalogue[key], key
    identifiers = {d["dct:identifier"] for d in catalogue["dcat:dataset"]}
    assert identifiers == {f"inovasi-daerah-{world.region.code}", f"inovasi-daerah-{world.other_region.code}"}
    ours = _dataset_of(catalogue, world.region)
    published.refresh_from_db()
    assert ours["dct:modified"] == published.updated_at.isoformat()
    # Region B has nothing published: its dataset has no dates rather than invented ones.
    assert "dct:issued" not in _dataset_of(catalogue, world.other_region)


def test_a_region_dataset_has_csv_and_json_distributions_that_resolve(world, published, anonymous):
    catalogue = anonymous.get(reverse("api:region-dcat", args=[world.region.code])).json()
    (dataset,) = catalogue["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset"
    for key in ("dct:title", "dct:description", "dct:issued", "dct:modified", "dct:license", "dct:publisher"):
        assert dataset[key], key
    assert dataset["dct:publisher"]["foaf:name"] == f"Pemerintah {world.region.name}"
    types = {d["dcat:mediaType"]: d for d in dataset["dcat:distribution"]}
    assert set(types) == {"text/csv", "application/json"}
    for media_type, distribution in types.items():
        assert distribution["@type"] == "dcat:Distribution"
        assert distribution["dcat:accessURL"]["@id"] == distribution["dcat:downloadURL"]["@id"]
        path = distribution["dcat:downloadURL"]["@id"].removeprefix("http://127.0.0.1:8000")
        data = anonymous.get(path)
        assert data.status_code == 200 and data["Content-Type"].startswith(media_type)
        assert published.name in data.content.decode() and "Draf rahasia" not in data.content.decode()
    expected = {
        "text/csv": reverse("showcase:open-data-csv", args=[world.region.code]),
        "application/json": reverse("showcase:open-data-json", args=[world.region.code]),
    }
    assert {k: v["dcat:downloadURL"]["@id"].removeprefix("http://127.0.0.1:8000") for k, v in types.items()} == expected
    assert dataset["dcat:landingPage"]["@id"].endswith(reverse("showcase:index", args=[world.region.code]))


def test_the_catalogue_names_no_person(world, published, anonymous):
    text = (
        anonymous.get(reverse("api:dcat")).content.decode()
        + anonymous.get(reverse("api:region-dcat", args=[world.region.code])).content.decode()
    )
    people = [world.official, world.sibling_official]
    for official in people:
        assert official.name not in text and official.nip not in text
    for user in User.objects.all():
        assert user.email not in text and user.full_name not in text
    # No e-mail address of anyone (the only "@" are JSON-LD keywords).
    body = anonymous.get(reverse("api:dcat")).content.decode()
    assert "@" not in body.replace('"@context"', "").replace('"@id"', "").replace('"@type"', "")


def test_the_licence_is_configurable_and_the_document_is_harvestable_as_plain_json(
    world, published, anonymous, settings
):
    settings.LUMBUNG_OPEN_DATA_LICENSE = "https://data.go.id/lisensi/odc-by"
    response = anonymous.get(reverse("api:region-dcat", args=[world.region.code]), HTTP_ACCEPT="application/json")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["dct:license"] == {"@id": "https://data.go.id/lisensi/odc-by"}


def test_unknown_or_unhosted_regions_have_no_catalogue(world, anonymous):
    world.other_region.is_hosted = False
    world.other_region.save()
    assert anonymous.get(reverse("api:region-dcat", args=[world.other_region.code])).status_code == 404
    codes = [d["dct:identifier"] for d in anonymous.get(reverse("api:dcat")).json()["dcat:dataset"]]
    assert codes == [f"inovasi-daerah-{world.region.code}"]


def test_conditional_get_on_the_catalogue(world, published, anonymous):
    first = anonymous.get(reverse("api:dcat"))
    assert anonymous.get(reverse("api:dcat"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A change to a published innovation moves the dataset's modification date.
    published.name = "Nama baru"
    published.save()
    assert anonymous.get(reverse("api:dcat"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200

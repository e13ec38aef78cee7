"""Open data as a DCAT catalogue in JSON-LD, which CKAN's DCAT harvester (Satu Data Indonesia
portals run CKAN) and other portals read: one catalogue for the deployment listing each hosted
region's dataset, and one per region. Each dataset has two distributions, the showcase's CSV and
JSON files. Only what the public showcase shows is described: no person is named."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from lumbung.innovations.models import Innovation
from lumbung.organisation.models import Region

from .base import ApiView, errors

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:issued": {"@type": "xsd:dateTime"},
    "dct:modified": {"@type": "xsd:dateTime"},
}
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def licence() -> str:
    return getattr(settings, "LUMBUNG_OPEN_DATA_LICENSE", DEFAULT_LICENSE)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _dated(node: dict, issued, modified) -> dict:
    # Empty dates are left out: a region with nothing published yet has no issue date.
    if issued:
        node["dct:issued"] = _iso(issued)
    if modified:
        node["dct:modified"] = _iso(modified)
    return node


def _distribution(region: Region, name: str, media_type: str, label: str) -> dict:
    url = _url(name, region.code)
    return {
        "@id": f"{url}#distribusi",
        "@type": "dcat:Distribution",
        "dct:title": f"{label} — {region.name}",
        "dct:format": label,
        "dcat:mediaType": media_type,
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:license": {"@id": licence()},
    }


def region_dataset(region: Region, dates: dict | None = None) -> dict:
    if dates is None:
        dates = (
            Innovation.objects.published()
            .filter(region=region)
            .aggregate(issued=Min("created_at"), modified=Max("updated_at"))
        )
    dataset = {
        "@id": _url("api:region-dcat", region.code) + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": f"inovasi-daerah-{region.code}",
        "dct:title": _("Inovasi daerah %(region)s") % {"region": region.name},
        "dct:description": _(
            "Inovasi daerah %(region)s yang sudah terbit: nama, perangkat daerah, tahapan, inisiator, "
            "jenis, bentuk, urusan, waktu uji coba dan penerapan, tujuan, manfaat, hasil dan lokasi."
        )
        % {"region": region.name},
        "dct:language": "id",
        "dct:license": {"@id": licence()},
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": _("Pemerintah %(region)s") % {"region": region.name},
        },
        "dct:spatial": region.name,
        "dcat:keyword": ["inovasi daerah", "Indeks Inovasi Daerah", "IGA", region.name],
        "dcat:theme": _("Pemerintahan"),
        "dcat:landingPage": {"@id": _url("showcase:index", region.code)},
        "dcat:distribution": [
            _distribution(region, "showcase:open-data-csv", "text/csv", "CSV"),
            _distribution(region, "showcase:open-data-json", "application/json", "JSON"),
        ],
    }
    return _dated(dataset, dates.get("issued"), dates.get("modified"))


def _catalogue(url: str, title: str, description: str, datasets: list[dict], publisher: str) -> dict:
    catalogue = {
        "@context": CONTEXT,
        "@id": url,
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dct:description": description,
        "dct:language": "id",
        "dct:license": {"@id": licence()},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": publisher},
        "foaf:homepage": {"@id": settings.SITE_URL + "/"},
        "dcat:dataset": datasets,
    }
    issued = [d["dct:issued"] for d in datasets if "dct:issued" in d]
    modified = [d["dct:modified"] for d in datasets if "dct:modified" in d]
    if issued:
        catalogue["dct:issued"] = min(issued)
    if modified:
        catalogue["dct:modified"] = max(modified)
    return catalogue


def region_catalogue(region: Region) -> dict:
    return _catalogue(
        _url("api:region-dcat", region.code),
        _("Katalog data inovasi %(region)s") % {"region": region.name},
        _("Data terbuka inovasi daerah %(region)s dari Lumbung Inovasi.") % {"region": region.name},
        [region_dataset(region)],
        _("Pemerintah %(region)s") % {"region": region.name},
    )


def deployment_catalogue() -> dict:
    regions = list(Region.objects.filter(is_hosted=True).order_by("code"))
    dates = {
        row["region"]: row
        for row in Innovation.objects.published()
        .filter(region__in=regions)
        .values("region")
        .annotate(issued=Min("created_at"), modified=Max("updated_at"))
        .order_by()
    }
    return _catalogue(
        _url("api:dcat"),
        _("Katalog data inovasi daerah — Lumbung Inovasi"),
        _("Data terbuka inovasi daerah setiap pemda yang memakai Lumbung Inovasi ini."),
        [region_dataset(region, dates.get(region.pk, {})) for region in regions],
        getattr(settings, "LUMBUNG_OPEN_DATA_PUBLISHER", "Lumbung Inovasi"),
    )


class DeploymentCatalogue(ApiView):
    public_read = True
    renderer_classes = [JsonLdRenderer, JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **errors()}, tags=["data terbuka"])
    def get(self, request):
        """Katalog DCAT (JSON-LD) seluruh pemda di aplikasi ini, untuk dipanen portal data (CKAN)."""
        return Response(deployment_catalogue())


class RegionCatalogue(ApiView):
    public_read = True
    renderer_classes = [JsonLdRenderer, JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **errors()}, tags=["data terbuka"])
    def get(self, request, region_code):
        """Katalog DCAT (JSON-LD) satu pemda."""
        return Response(region_catalogue(self.region))

"""The external catalogue a region reads: its own CatalogueItem rows (typed, imported, seen on a
study visit) together with the published innovations of every other hosted region on this
deployment, which appear without being copied.

The two sources are one SQL UNION of the same columns, ordered and paged by the database, so a
page of 24 reads 24 rows however many regions are hosted. A hosted innovation shows its public
fields only (those of the public showcase: name, goals, classification, dates, region); never a
person's name, the team, contacts or anything still in review. A hosted innovation the region
already keeps as a CatalogueItem (same origin region and name) is listed once, as the item.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, ExtractYear

from lumbung.core.text import parse_id
from lumbung.innovations.models import Innovation

from .models import CatalogueItem, Replication

ITEM, HOSTED = "item", "hosted"
COLUMNS = (
    "e_kind", "e_pk", "e_name", "e_summary", "e_region_name", "e_region_code", "e_affair_name", "e_form", "e_digital",
    "e_year", "e_award", "e_adopted",
)  # fmt: skip
FACETS = ("asal", "urusan", "bentuk", "digital")
QUERY_LENGTH = 200


@dataclass(frozen=True)
class Source:
    """How one source names the catalogue's facets and text."""

    facets: dict  # facet -> (value field, label field)
    text_fields: tuple[str, ...]


ITEM_SOURCE = Source(
    facets={
        "asal": ("source_region", "source_region__name"), "urusan": ("affair", "affair__name"),
        "bentuk": ("form", "form"), "digital": ("is_digital", "is_digital"),
    },
    text_fields=("name", "summary", "award"),
)  # fmt: skip
HOSTED_SOURCE = Source(
    facets={
        "asal": ("region", "region__name"), "urusan": ("main_affair", "main_affair__name"),
        "bentuk": ("form", "form"), "digital": ("is_digital", "is_digital"),
    },
    text_fields=("name", "goals", "benefits"),
)  # fmt: skip


@dataclass(frozen=True)
class SharedInnovation:
    """A published innovation of another hosted region as `region` sees it in its catalogue.

    `region_id` is the reader's region, so the catalogue permissions (replication.rules) read
    it like a CatalogueItem of that region."""

    region: object
    innovation: Innovation

    @property
    def region_id(self) -> int:
        return self.region.pk

    @property
    def source_region(self):
        return self.innovation.region

    @property
    def name(self) -> str:
        return self.innovation.name

    @property
    def summary(self) -> str:
        return self.innovation.goals

    @property
    def affair(self):
        return self.innovation.main_affair

    @property
    def form(self) -> str:
        return self.innovation.form

    @property
    def is_digital(self) -> bool:
        return self.innovation.is_digital


def hosted_innovations(region):
    """Published innovations of the other hosted, active regions (no copy is made per region)."""
    return (
        Innovation.objects.published()
        .filter(region__is_hosted=True, region__deactivated_at__isnull=True)
        .exclude(region=region)
    )


def shared_innovation(region, pk) -> SharedInnovation | None:
    innovation = (
        hosted_innovations(region).select_related("region", "unit", "main_affair", "theme").filter(pk=pk).first()
    )
    return SharedInnovation(region, innovation) if innovation else None


def read_filters(params) -> tuple[str, dict]:
    """The search text and the chosen facets of a query string (the page's and the API's):
    `q`, `asal` and `urusan` (ids), `bentuk` (an innovation form), `digital` ("ya"/"tidak").
    A value that is not one of these is left out (the API names it as an error)."""
    query = str(params.get("q") or "").replace("\x00", "").strip()[:QUERY_LENGTH]
    chosen = {}
    for key in ("asal", "urusan"):
        if value := parse_id(params.get(key)):
            chosen[key] = value
    if params.get("bentuk") in Innovation.Form.values:
        chosen["bentuk"] = params["bentuk"]
    if params.get("digital") in ("ya", "tidak"):
        chosen["digital"] = params["digital"] == "ya"
    return query, chosen


def _own_items(region):
    return CatalogueItem.objects.filter(region=region)


def _hosted_rows(region):
    """Hosted innovations not already kept by the region as an item of the same name and origin."""
    kept = CatalogueItem.objects.filter(region=region, source_region=OuterRef("region"), name=OuterRef("name"))
    return hosted_innovations(region).exclude(Exists(kept))


def _narrow(queryset, source: Source, query: str, chosen: dict, skip: str = ""):
    if query:
        matches = Q()
        for field in source.text_fields:
            matches |= Q(**{f"{field}__icontains": query})
        queryset = queryset.filter(matches)
    for key, value in chosen.items():
        if key != skip:
            queryset = queryset.filter(**{source.facets[key][0]: value})
    return queryset


def _as_entries(queryset, *, kind: str, region):
    text = CharField()
    if kind == ITEM:
        columns = {
            "e_pk": F("pk"), "e_name": F("name"), "e_summary": F("summary"), "e_region_name": F("source_region__name"),
            "e_region_code": F("source_region__code"), "e_affair_name": F("affair__name"), "e_form": F("form"),
            "e_digital": F("is_digital"), "e_year": F("year"), "e_award": F("award"),
            "e_adopted": Exists(Replication.objects.filter(item=OuterRef("pk"))),
        }  # fmt: skip
    else:
        columns = {
            "e_pk": F("pk"), "e_name": F("name"), "e_summary": F("goals"), "e_region_name": F("region__name"),
            "e_region_code": F("region__code"), "e_affair_name": F("main_affair__name"), "e_form": F("form"),
            "e_digital": F("is_digital"),
            "e_year": ExtractYear(Coalesce("implementation_date", "trial_date")),
            "e_award": Value("", output_field=text),
            "e_adopted": Exists(Replication.objects.filter(region=region, origin_innovation=OuterRef("pk"))),
        }  # fmt: skip
    # Every column is an annotation in the same order on both sides, so the UNION lines up.
    annotated = queryset.annotate(e_kind=Value(kind, output_field=text), **columns)
    return annotated.order_by().values(*COLUMNS)


def catalogue_entries(region, *, query: str = "", chosen: dict | None = None):
    """The catalogue of `region` as one ordered UNION of dicts (keys without the `e_` prefix are
    added by `Entry`); page it with a Paginator: the database does the counting and slicing."""
    chosen = chosen or {}
    items = _as_entries(_narrow(_own_items(region), ITEM_SOURCE, query, chosen), kind=ITEM, region=region)
    hosted = _as_entries(_narrow(_hosted_rows(region), HOSTED_SOURCE, query, chosen), kind=HOSTED, region=region)
    return items.union(hosted, all=True).order_by("e_name", "e_kind", "e_pk")


def facet_counts(region, *, query: str, chosen: dict) -> dict:
    """Per facet: [(value, label, number of entries)] over both sources, each facet counting what
    the other choices leave. Eight small GROUP BY queries, whatever the size of the catalogue."""
    counts: dict = {}
    for facet in ITEM_SOURCE.facets:
        merged: dict = {}
        for base, source in ((_own_items(region), ITEM_SOURCE), (_hosted_rows(region), HOSTED_SOURCE)):
            value_field, label_field = source.facets[facet]
            rows = _narrow(base, source, query, chosen, skip=facet)
            if facet == "urusan":
                rows = rows.filter(**{f"{value_field}__isnull": False})
            if facet == "bentuk":
                rows = rows.exclude(form="")
            for value, label, n in rows.order_by().values_list(value_field, label_field).annotate(n=Count("pk")):
                previous = merged.get(value, (label, 0))
                merged[value] = (previous[0], previous[1] + n)
        counts[facet] = sorted(((value, label, n) for value, (label, n) in merged.items()), key=lambda row: row[1])
    return counts


@dataclass(frozen=True)
class Entry:
    """One row of the catalogue page (a dict of the UNION, read by the template)."""

    kind: str
    pk: int
    name: str
    summary: str
    region_name: str
    region_code: str
    affair_name: str | None
    form: str
    digital: bool
    year: int | None
    award: str
    adopted: bool

    @classmethod
    def from_row(cls, row: dict) -> Entry:
        return cls(**{key.removeprefix("e_"): value for key, value in row.items()})

    @property
    def is_digital(self) -> bool:
        return bool(self.digital)

    @property
    def is_hosted(self) -> bool:
        return self.kind == HOSTED

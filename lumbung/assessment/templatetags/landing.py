"""The public front page's figures (core/landing.html loads these tags, so core imports no app):
the latest published innovations of the hosted regions and each region's latest official result
(its predicate), two queries whatever the number of regions."""

from django import template
from django.db.models import OuterRef, Subquery

from lumbung.innovations.models import Innovation

from ..models import OfficialResult

register = template.Library()
LATEST = 6


@register.simple_tag
def latest_innovations(count: int = LATEST):
    return list(
        Innovation.objects.published()
        .filter(region__is_hosted=True)
        .select_related("region", "unit", "main_affair")
        .order_by("-updated_at", "-pk")[: max(1, min(int(count), 24))]
    )


@register.simple_tag
def regions_with_results(regions):
    """[(region, latest official result with a predicate or None)] in the order given."""
    regions = list(regions)
    latest = OfficialResult.objects.filter(region=OuterRef("region"), predicate__gt="").order_by("-year")
    results = {
        result.region_id: result
        for result in OfficialResult.objects.filter(region__in=regions, pk=Subquery(latest.values("pk")[:1]))
    }
    return [(region, results.get(region.pk)) for region in regions]

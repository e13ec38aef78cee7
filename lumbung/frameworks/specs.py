"""The engine's view of a framework stored in the database, built once per revision.

Every edit of a framework, its rows or its bands gives it a new `revision` (services.py,
reference.py), so a cached spec is never stale and no cache needs clearing.
"""

from __future__ import annotations

from functools import lru_cache

from .engine import FrameworkSpec, RowSpec
from .models import Framework


def spec_for(framework: Framework) -> FrameworkSpec:
    return _build(framework.pk, framework.revision)


@lru_cache(maxsize=64)
def _build(framework_id: int, revision) -> FrameworkSpec:
    framework = Framework.objects.get(pk=framework_id)
    rows = tuple(
        RowSpec(code=row.code, weight=row.weight, aspect=row.aspect, mandatory=row.is_mandatory, outcome=row.is_outcome)
        for row in framework.indicators.order_by("order", "pk")
    )
    bands = tuple((band.name, band.min_iid) for band in framework.bands.order_by("-min_iid"))
    return FrameworkSpec(
        year=framework.year,
        rows=rows,
        min_divisor=framework.min_divisor,
        count_factor=framework.count_factor,
        count_cap=framework.count_cap,
        basic_services_required=framework.basic_services_required,
        basic_service_codes=frozenset(framework.basic_service_affairs),
        max_total=framework.max_total,
        bands=bands,
    )

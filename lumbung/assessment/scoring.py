"""The index figures of assessments, kept in Assessment.figures.

The sums (SPD score, each entry's maturity) are aggregated in SQL, both projections in one pass
(claimed: every declared level; verified: accepted rows only); the frameworks engine turns them
into the divisor, count score, total, IID and predicate. The same code refreshes one region
after an answer changes and every region of a year at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from lumbung.frameworks.engine import FrameworkSpec, IndexResult, result_of, summarise
from lumbung.frameworks.specs import spec_for

from .models import Answer, Assessment, Entry, RegionAnswer, RowStatus

PROJECTIONS = ("claimed", "verified")
ZERO = Decimal(0)

_SCORE = ExpressionWrapper(
    F("indicator__weight") * F("level"), output_field=DecimalField(max_digits=12, decimal_places=2)
)
_ACCEPTED = Q(status=RowStatus.ACCEPTED)


@dataclass
class _Sums:
    """What the engine needs of one assessment, per projection."""

    spd: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(PROJECTIONS, ZERO))
    # entry id -> {"claimed": Decimal, "verified": Decimal}
    maturities: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    eligible: set[int] = field(default_factory=set)
    basic_services: set[str] = field(default_factory=set)


def _collect(assessments) -> dict[int, _Sums]:
    """Aggregate the answers of `assessments` (a queryset) in four queries."""
    sums: dict[int, _Sums] = defaultdict(_Sums)
    region_rows = (
        RegionAnswer.objects.filter(assessment__in=assessments)
        .values("assessment_id")
        .annotate(claimed=Sum(_SCORE), verified=Sum(_SCORE, filter=_ACCEPTED))
    )
    for row in region_rows:
        sums[row["assessment_id"]].spd = {name: row[name] or ZERO for name in PROJECTIONS}
    entries = Entry.objects.filter(assessment__in=assessments)
    entry_assessment = {}
    for entry_id, assessment_id, is_eligible in entries.values_list("id", "assessment_id", "is_eligible"):
        entry_assessment[entry_id] = assessment_id
        bucket = sums[assessment_id]
        bucket.maturities[entry_id] = dict.fromkeys(PROJECTIONS, ZERO)
        if is_eligible:
            bucket.eligible.add(entry_id)
    entry_rows = (
        Answer.objects.filter(entry__assessment__in=assessments)
        .values("entry_id")
        .annotate(claimed=Sum(_SCORE), verified=Sum(_SCORE, filter=_ACCEPTED))
        .order_by()
    )
    for row in entry_rows:
        bucket = sums[entry_assessment[row["entry_id"]]]
        bucket.maturities[row["entry_id"]] = {name: row[name] or ZERO for name in PROJECTIONS}
    eligible = entries.filter(is_eligible=True)
    for path in ("innovation__main_affair__code", "innovation__related_affairs__code"):
        for assessment_id, code in (
            eligible.filter(**{f"{path}__isnull": False}).values_list("assessment_id", path).distinct()
        ):
            sums[assessment_id].basic_services.add(code)
    return sums


def figures_for(spec: FrameworkSpec, sums: _Sums) -> dict:
    """Both projections of one assessment, as JSON-ready dictionaries."""
    covered = sums.basic_services & spec.basic_service_codes
    missing = tuple(sorted(spec.basic_service_codes - covered))
    figures = {}
    for name in PROJECTIONS:
        maturities = {str(entry_id): values[name] for entry_id, values in sums.maturities.items()}
        summary = summarise(
            spec,
            spd_score=sums.spd[name],
            maturity_sum=sum((sums.maturities[entry_id][name] for entry_id in sums.eligible), ZERO),
            innovation_count=len(sums.eligible),
            basic_services_covered=len(covered),
        )
        figures[name] = _as_json(result_of(summary, maturities, missing=missing))
    return figures


def _as_json(result: IndexResult) -> dict:
    return {
        "spd_score": str(result.spd_score),
        "innovation_count": result.innovation_count,
        "divisor": result.divisor,
        "sid_average": str(result.sid_average),
        "basic_services_covered": result.basic_services_covered,
        "basic_services_missing": list(result.basic_services_missing),
        "count_score": str(result.count_score),
        "total": str(result.total),
        "iid": str(result.iid),
        "predicate": result.predicate,
        "maturities": {key: str(value) for key, value in result.maturities.items()},
    }


def _store(assessment_id: int, figures: dict, now) -> None:
    Assessment.objects.filter(pk=assessment_id).update(
        figures=figures,
        claimed_iid=Decimal(figures["claimed"]["iid"]),
        verified_iid=Decimal(figures["verified"]["iid"]),
        figures_updated_at=now,
    )


def assessment_recompute(*, assessment: Assessment) -> dict:
    """Refresh one assessment's figures; called in the transaction of every change.

    The assessment row is locked first, so two changes committed at the same moment cannot
    leave figures that miss one of them.
    """
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).values_list("pk").first()
        spec = spec_for(assessment.framework)
        sums = _collect(Assessment.objects.filter(pk=assessment.pk))[assessment.pk]
        figures = figures_for(spec, sums)
        now = timezone.now()
        _store(assessment.pk, figures, now)
    assessment.figures, assessment.figures_updated_at = figures, now
    assessment.claimed_iid = Decimal(figures["claimed"]["iid"])
    assessment.verified_iid = Decimal(figures["verified"]["iid"])
    return figures


def recompute_year(*, year: int) -> int:
    """Refresh the figures of every region's assessment of `year`; returns how many."""
    assessments = Assessment.objects.filter(year=year)
    frameworks = {a.pk: a.framework for a in assessments.select_related("framework")}
    sums = _collect(assessments)
    now = timezone.now()
    with transaction.atomic():
        for assessment_id, framework in frameworks.items():
            _store(assessment_id, figures_for(spec_for(framework), sums[assessment_id]), now)
    return len(frameworks)

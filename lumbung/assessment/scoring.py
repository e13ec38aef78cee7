"""The index figures of assessments, kept in Assessment.figures.

The sums are aggregated in SQL, both projections in one pass (claimed: every declared level;
verified: accepted rows only): the SPD score and the sum of the eligible innovations' maturities
per assessment, their number and the basic-service affairs they cover. The frameworks engine
(`summarise`) turns those into the divisor, count score, total, IID and predicate. The same code
refreshes one region after an answer changes and every region of a year at once.

An innovation's own maturity is one more aggregate over its twenty rows (`entry_maturities`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from lumbung.frameworks.engine import FrameworkSpec, result_of, summarise
from lumbung.frameworks.specs import spec_for

from .models import Answer, Assessment, Entry, RegionAnswer, RowStatus

PROJECTIONS = ("claimed", "verified")
ZERO = Decimal(0)

_SCORE = ExpressionWrapper(
    F("indicator__weight") * F("level"), output_field=DecimalField(max_digits=12, decimal_places=2)
)
_ACCEPTED = Q(status=RowStatus.ACCEPTED)
_SUMS = {"claimed": Sum(_SCORE), "verified": Sum(_SCORE, filter=_ACCEPTED)}


def _pair(row: dict) -> dict[str, Decimal]:
    return {name: row[name] or ZERO for name in PROJECTIONS}


@dataclass
class _Sums:
    """What the engine needs of one assessment, per projection."""

    spd: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(PROJECTIONS, ZERO))
    maturity_sum: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(PROJECTIONS, ZERO))
    count: int = 0
    basic_services: set[str] = field(default_factory=set)


def _collect(*, answers: Q, region_answers: Q, entries: Q) -> dict[int, _Sums]:
    """Aggregate the rows in scope (filters on Answer, RegionAnswer and Entry) per assessment,
    in four queries whatever the number of regions."""
    sums: dict[int, _Sums] = defaultdict(_Sums)
    for row in RegionAnswer.objects.filter(region_answers).values("assessment_id").annotate(**_SUMS).order_by():
        sums[row["assessment_id"]].spd = _pair(row)
    eligible = Answer.objects.filter(answers, entry__is_eligible=True)
    for row in eligible.values("entry__assessment_id").annotate(**_SUMS).order_by():
        sums[row["entry__assessment_id"]].maturity_sum = _pair(row)
    counted = Entry.objects.filter(entries, is_eligible=True)
    for row in counted.values("assessment_id").annotate(count=Count("id")).order_by():
        sums[row["assessment_id"]].count = row["count"]
    affairs = counted.values_list(
        "assessment_id", "innovation__main_affair__code", "innovation__related_affairs__code"
    ).order_by()
    for assessment_id, main, related in affairs.distinct():
        sums[assessment_id].basic_services.update(code for code in (main, related) if code)
    return sums


def figures_for(spec: FrameworkSpec, sums: _Sums) -> dict:
    """Both projections of one assessment, as JSON-ready dictionaries."""
    covered = sums.basic_services & spec.basic_service_codes
    missing = tuple(sorted(spec.basic_service_codes - covered))
    figures = {}
    for name in PROJECTIONS:
        summary = summarise(
            spec,
            spd_score=sums.spd[name],
            maturity_sum=sums.maturity_sum[name],
            innovation_count=sums.count,
            basic_services_covered=len(covered),
        )
        result = result_of(summary, {}, missing=missing)
        figures[name] = {
            "spd_score": str(result.spd_score),
            "maturity_sum": str(sums.maturity_sum[name]),
            "innovation_count": result.innovation_count,
            "divisor": result.divisor,
            "sid_average": str(result.sid_average),
            "basic_services_covered": result.basic_services_covered,
            "basic_services_required": spec.basic_services_required,
            "basic_services_missing": list(result.basic_services_missing),
            "count_score": str(result.count_score),
            "total": str(result.total),
            "iid": str(result.iid),
            "predicate": result.predicate,
        }
    return figures


def _apply(assessment: Assessment, figures: dict, now) -> None:
    # The framework revision the figures were computed under: an edited methodology makes them stale.
    figures["revision"] = str(assessment.framework.revision)
    assessment.figures, assessment.figures_updated_at = figures, now
    assessment.claimed_iid = Decimal(figures["claimed"]["iid"])
    assessment.verified_iid = Decimal(figures["verified"]["iid"])


STORED = ["figures", "claimed_iid", "verified_iid", "figures_updated_at"]


def assessment_recompute(*, assessment: Assessment) -> dict:
    """Refresh one assessment's figures; called in the transaction of every change.

    The assessment row is locked first, so two changes committed at the same moment cannot
    leave figures that miss one of them.
    """
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).values_list("pk").first()
        sums = _collect(
            answers=Q(entry__assessment=assessment),
            region_answers=Q(assessment=assessment),
            entries=Q(assessment=assessment),
        )[assessment.pk]
        figures = figures_for(spec_for(assessment.framework), sums)
        _apply(assessment, figures, timezone.now())
        Assessment.objects.filter(pk=assessment.pk).update(**{name: getattr(assessment, name) for name in STORED})
    return figures


def ensure_current(*, assessment: Assessment) -> None:
    """Recompute when the methodology was edited after the figures were stored."""
    if assessment.figures.get("revision") != str(assessment.framework.revision):
        assessment_recompute(assessment=assessment)


def recompute_year(*, year: int) -> int:
    """Refresh the figures of every region's assessment of `year`; returns how many.

    All of a year's assessments share that year's framework (assessment_create checks it), so
    rows are selected by their indicators' framework rather than by assessment.
    """
    assessments = list(Assessment.objects.filter(year=year).select_related("framework"))
    scope = list({assessment.framework_id for assessment in assessments})
    sums = _collect(
        answers=Q(indicator__framework__in=scope),
        region_answers=Q(indicator__framework__in=scope),
        entries=Q(assessment__year=year),
    )
    now = timezone.now()
    for assessment in assessments:
        _apply(assessment, figures_for(spec_for(assessment.framework), sums[assessment.pk]), now)
    _store_many(assessments)
    return len(assessments)


def _store_many(assessments: list[Assessment]) -> None:
    """One UPDATE per assessment, sent as a batch (bulk_update's CASE expressions cost more to
    build than the whole aggregation)."""
    fields = [Assessment._meta.get_field(name) for name in STORED]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names from the model; values are parameters
        quote(Assessment._meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in fields), quote("id")
    )
    params = [[f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields] + [a.pk] for a in assessments]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)


def entry_maturities(*, entries: Q) -> dict[int, dict[str, Decimal]]:
    """Each entry's maturity in both projections (Σ weight × level of its rows), one query."""
    rows = Answer.objects.filter(entries).values("entry_id").annotate(**_SUMS).order_by()
    return {row["entry_id"]: _pair(row) for row in rows}

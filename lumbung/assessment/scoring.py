"""The index figures of assessments, kept in Assessment.figures.

The sums are aggregated in SQL, the three projections in one pass (claimed: every declared level;
expected: every level but the rejected ones, i.e. what the region gets if every pending row is
accepted and nothing rejected is fixed; verified: the accepted level, which a raised row keeps
while its new claim waits): the SPD score and the sum of the eligible innovations' maturities
per assessment, their number and the basic-service affairs they cover. The frameworks engine
(`summarise`) turns those into the divisor, count score, total, IID and predicate. The same code
refreshes one region after an answer changes and every region of a year at once.

An innovation's own maturity is one more aggregate over its twenty rows (`entry_maturities`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.caching import region_data_changed
from lumbung.core.jobs import running_job, start_job
from lumbung.core.tasks import task
from lumbung.frameworks.engine import FrameworkSpec, result_of, summarise
from lumbung.frameworks.models import Framework, Indicator
from lumbung.frameworks.specs import spec_for

from .models import Answer, Assessment, Entry, RegionAnswer, RowStatus

PROJECTIONS = ("claimed", "expected", "verified")
ZERO = Decimal(0)
CENT = Decimal("0.01")

_SCORE = ExpressionWrapper(
    F("indicator__weight") * F("level"), output_field=DecimalField(max_digits=12, decimal_places=2)
)
# The level that counts as verified: the row's level once accepted; while a raised claim waits,
# the level accepted before (AnswerBase.accepted_level, never above the new claim); else 0.
_VERIFIED_LEVEL = Case(
    When(status=RowStatus.ACCEPTED, then=F("level")),
    When(status=RowStatus.CLAIMED, accepted_level__lt=F("level"), then=F("accepted_level")),
    When(status=RowStatus.CLAIMED, then=F("level")),
    default=Value(0),
    output_field=IntegerField(),
)
_SUMS = {
    "claimed": Sum(_SCORE),
    "expected": Sum(_SCORE, filter=~Q(status=RowStatus.REJECTED)),
    "verified": Sum(
        ExpressionWrapper(
            F("indicator__weight") * _VERIFIED_LEVEL, output_field=DecimalField(max_digits=12, decimal_places=2)
        )
    ),
}


def _pair(row: dict) -> dict[str, Decimal]:
    return {name: row[name] or ZERO for name in PROJECTIONS}


@dataclass
class _Sums:
    """What the engine needs of one assessment, per projection."""

    spd: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(PROJECTIONS, ZERO))
    maturity_sum: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(PROJECTIONS, ZERO))
    count: int = 0
    basic_services: set[str] = field(default_factory=set)


def _exact(value) -> Decimal:
    """Weights have two decimals, so these sums are exact to the cent; SQLite hands back floats."""
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _maturity_sums_sql() -> str:
    """Σ weight × level of the eligible innovations' rows per assessment, both projections.

    The inner query sums levels per (assessment, indicator) straight from the answer table
    (which carries its assessment) and the weights are applied to those few thousand groups
    afterwards, so the scan of every answer row joins nothing. This is the hot path of a
    national recomputation, hence plain SQL.
    """
    table = {model: model._meta.db_table for model in (Answer, Entry, Indicator)}
    return f"""
        SELECT g.assessment_id, SUM(x.weight * g.claimed), SUM(x.weight * g.expected),
               SUM(x.weight * g.verified)
        FROM (
            SELECT scoring_assessment_id AS assessment_id, indicator_id, SUM(level) AS claimed,
                   SUM(CASE WHEN status = %s THEN 0 ELSE level END) AS expected,
                   SUM(CASE WHEN status = %s THEN level
                            WHEN status = %s AND accepted_level < level THEN accepted_level
                            WHEN status = %s THEN level ELSE 0 END) AS verified
            FROM {table[Answer]}
            WHERE scoring_assessment_id IN ({{ids}})
              AND entry_id NOT IN (SELECT id FROM {table[Entry]} WHERE NOT is_eligible AND assessment_id IN ({{ids}}))
            GROUP BY scoring_assessment_id, indicator_id
        ) g JOIN {table[Indicator]} x ON x.id = g.indicator_id
        GROUP BY g.assessment_id
    """  # noqa: S608 - table names from the models; values are parameters


def _collect(*, assessment_ids: list[int]) -> dict[int, _Sums]:
    """Aggregate the rows of these assessments per assessment, in five queries whatever the
    number of regions."""
    sums: dict[int, _Sums] = defaultdict(_Sums)
    region_rows = RegionAnswer.objects.filter(assessment_id__in=assessment_ids)
    for row in region_rows.values("assessment_id").annotate(**_SUMS).order_by():
        sums[row["assessment_id"]].spd = _pair(row)
    placeholders = ", ".join(["%s"] * len(assessment_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            _maturity_sums_sql().format(ids=placeholders),
            [
                RowStatus.REJECTED.value,
                RowStatus.ACCEPTED.value,
                RowStatus.CLAIMED.value,
                RowStatus.CLAIMED.value,
                *assessment_ids,
                *assessment_ids,
            ],
        )
        for assessment_id, claimed, expected, verified in cursor.fetchall():
            sums[assessment_id].maturity_sum = {
                "claimed": _exact(claimed),
                "expected": _exact(expected),
                "verified": _exact(verified),
            }
    counted = Entry.objects.filter(assessment_id__in=assessment_ids, is_eligible=True)
    for row in counted.values("assessment_id").annotate(count=Count("id")).order_by():
        sums[row["assessment_id"]].count = row["count"]
    affairs = counted.values_list(
        "assessment_id", "innovation__main_affair__code", "innovation__related_affairs__code"
    ).order_by()
    for assessment_id, main, related in affairs.distinct():
        sums[assessment_id].basic_services.update(code for code in (main, related) if code)
    return sums


def figures_for(spec: FrameworkSpec, sums: _Sums) -> dict:
    """The three projections of one assessment, as JSON-ready dictionaries."""
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
        # The region's version first (it is locked by every other write to the region's data too,
        # always before the assessment row, so two changes never wait on each other in a circle).
        region_data_changed(assessment.region_id)
        Assessment.objects.select_for_update().filter(pk=assessment.pk).values_list("pk").first()
        sums = _collect(assessment_ids=[assessment.pk])[assessment.pk]
        figures = figures_for(spec_for(assessment.framework), sums)
        _apply(assessment, figures, timezone.now())
        Assessment.objects.filter(pk=assessment.pk).update(**{name: getattr(assessment, name) for name in STORED})
    return figures


def ensure_current(*, assessment: Assessment) -> None:
    """Recompute when the methodology was edited after the figures were stored."""
    if assessment.figures.get("revision") != str(assessment.framework.revision):
        assessment_recompute(assessment=assessment)


def recompute_year(*, year: int, progress=None) -> int:
    """Refresh the figures of every region's assessment of `year`; returns how many.

    All figures are computed first and stored in one transaction at the end, so a recomputation
    that stops half-way (a worker killed) leaves every region's figures as they were.
    `progress(done, total)` is called as the regions are computed.
    """
    # Only what the computation needs: the stored figures of 500+ regions are heavy to load.
    assessments = list(Assessment.objects.filter(year=year).only("pk", "framework_id", "region_id"))
    frameworks = Framework.objects.in_bulk({assessment.framework_id for assessment in assessments})
    for assessment in assessments:
        assessment.framework = frameworks[assessment.framework_id]
    sums = _collect(assessment_ids=[assessment.pk for assessment in assessments])
    now = timezone.now()
    for done, assessment in enumerate(assessments, start=1):
        _apply(assessment, figures_for(spec_for(assessment.framework), sums[assessment.pk]), now)
        if progress is not None:
            progress(done, len(assessments))
    with transaction.atomic():
        _store_many(assessments)
        region_data_changed(*{assessment.region_id for assessment in assessments})
    return len(assessments)


def _store_many(assessments: list[Assessment]) -> None:
    """Write the figures of many assessments. On PostgreSQL one UPDATE ... FROM (VALUES ...)
    for all of them (hundreds of single-row UPDATEs cost as much as the aggregation); elsewhere
    a batch of single-row UPDATEs."""
    fields = [Assessment._meta.get_field(name) for name in STORED]
    quote = connection.ops.quote_name
    table = quote(Assessment._meta.db_table)
    rows = [[a.pk, *(f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields)] for a in assessments]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and rows:
            casts = ["bigint", *(f.db_type(connection) for f in fields)]
            row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
            columns = ["id", *(f.column for f in fields)]
            cursor.execute(
                f"UPDATE {table} AS t SET {', '.join(f'{quote(c)} = v.{quote(c)}' for c in columns[1:])} "  # noqa: S608 - names from the model; values are parameters
                f"FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v({', '.join(map(quote, columns))}) "
                "WHERE t.id = v.id",
                [value for row in rows for value in row],
            )
        else:
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 - names from the model
                [[*row[1:], row[0]] for row in rows],
            )


def entry_maturities(*, entries: Q) -> dict[int, dict[str, Decimal]]:
    """Each entry's maturity in the three projections (Σ weight × level of its rows), one query."""
    rows = Answer.objects.filter(entries).values("entry_id").annotate(**_SUMS).order_by()
    return {row["entry_id"]: _pair(row) for row in rows}


def results_compared(*, region, results) -> list[dict]:
    """Each official result beside the index the app computes for that year from the region's
    own answers (under that year's methodology, e.g. 2024 or 2025), and the difference."""
    years = [result.year for result in results]
    assessments = {
        assessment.year: assessment
        for assessment in Assessment.objects.filter(region=region, year__in=years).select_related("framework")
    }
    rows = []
    for result in results:
        assessment = assessments.get(result.year)
        if assessment is not None:
            ensure_current(assessment=assessment)  # the year's methodology may have been edited
        verified = assessment.projection("verified") if assessment else {}
        computed = Decimal(verified["iid"]) if verified.get("iid") else None
        rows.append(
            {
                "result": result,
                "assessment": assessment,
                "computed": computed,
                "computed_predicate": verified.get("predicate", ""),
                "difference": computed - result.iid if computed is not None and result.iid is not None else None,
            }
        )
    return rows


@task()
def recompute_year_task(job_id: str, year: int) -> None:
    with running_job(job_id) as job:
        count = recompute_year(year=year, progress=job.step)
        job.set_result(count=count)


def recompute_year_start(*, year: int, actor=None):
    """Queue the recomputation of every region's figures of `year` (after a methodology edit).
    Safe to repeat (nothing is stored until the end), so a dead worker's run is retried once."""
    return start_job(
        task=recompute_year_task,
        kind="recompute_year",
        label=_("Hitung ulang indeks semua pemda tahun %(year)s") % {"year": year},
        owner=actor,
        retries=1,
        year=year,
    )

"""The index figures of assessments, kept in Assessment.figures.

The sums are aggregated in SQL, the three projections in one pass (claimed: every declared level;
expected: every level but the rejected ones, i.e. what the region gets if every pending row is
accepted and nothing rejected is fixed; verified: the accepted level, which a raised row keeps
while its new claim waits): the SPD score and the sum of the eligible innovations' maturities
per assessment, their number and the basic-service affairs they cover. The innovation rows are
not read one by one: database triggers keep Σ level per (assessment, indicator) of the eligible
rows in IndicatorLevelSum (ADR 0010), and the maturity sum is those ~20 rows × today's weights;
they keep the eligible innovations per main and related affair in AffairCount too (the count and
the basic services covered). The frameworks engine (`summarise`) turns those into the divisor,
count score, total, IID and predicate. The same code refreshes one region after an answer
changes and every region of a year at once.

An innovation's own maturity is one more aggregate over its twenty rows (`entry_maturities`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Case, DecimalField, ExpressionWrapper, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.caching import region_data_changed
from lumbung.core.jobs import running_job, start_job
from lumbung.core.tasks import task
from lumbung.frameworks.engine import FrameworkSpec, result_of, summarise
from lumbung.frameworks.models import Framework
from lumbung.frameworks.specs import spec_for
from lumbung.innovations.models import Innovation

from .models import AffairCount, Answer, Assessment, Entry, IndicatorLevelSum, RegionAnswer, RowStatus

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


def _level_sums_sql(where: str) -> str:
    """Σ level per (assessment, indicator) of the eligible innovations' rows, in the three
    projections, computed from the answers themselves: what IndicatorLevelSum keeps (its
    triggers, migration 0010, apply the same CASE logic row by row). Parameters: _STATUSES,
    then those of `where`."""
    table = {model: model._meta.db_table for model in (Answer, Entry)}
    return f"""
        SELECT a.scoring_assessment_id, a.indicator_id, SUM(a.level),
               SUM(CASE WHEN a.status = %s THEN 0 ELSE a.level END),
               SUM(CASE WHEN a.status = %s THEN a.level
                        WHEN a.status = %s AND a.accepted_level < a.level THEN a.accepted_level
                        WHEN a.status = %s THEN a.level ELSE 0 END)
        FROM {table[Answer]} a JOIN {table[Entry]} e ON e.id = a.entry_id AND e.is_eligible
        WHERE {where}
        GROUP BY a.scoring_assessment_id, a.indicator_id
    """  # noqa: S608 - table names from the models; values are parameters


_STATUSES = [RowStatus.REJECTED.value, RowStatus.ACCEPTED.value, RowStatus.CLAIMED.value, RowStatus.CLAIMED.value]


def _affair_counts_sql(where: str) -> str:
    """Per (assessment, affair): how many eligible entries have it as their innovation's main
    affair, and how many among its related affairs; what AffairCount keeps. `where` filters the
    entries (alias e) and is used twice."""
    through = Innovation.related_affairs.through._meta.db_table
    table = {model: model._meta.db_table for model in (Entry, Innovation)}
    return f"""
        SELECT assessment_id, affair_id, SUM(main), SUM(related) FROM (
            SELECT e.assessment_id, i.main_affair_id AS affair_id, 1 AS main, 0 AS related
            FROM {table[Entry]} e JOIN {table[Innovation]} i ON i.id = e.innovation_id
            WHERE e.is_eligible AND {where}
            UNION ALL
            SELECT e.assessment_id, r.governmentaffair_id, 0, 1
            FROM {table[Entry]} e JOIN {through} r ON r.innovation_id = e.innovation_id
            WHERE e.is_eligible AND {where}
        ) u GROUP BY assessment_id, affair_id
    """  # noqa: S608 - table names from the models; values are parameters


def _within(column: str, ids: list[int] | None) -> str:
    """A condition on `column` for these ids (None: every row); one %s per id."""
    if ids is None:
        return "1 = 1"
    return f"{column} IN ({', '.join(['%s'] * len(ids))})" if ids else "1 = 0"


def _sources(ids: list[int] | None) -> tuple:
    """Per kept table: the model, its columns after assessment_id, and the SQL (with its
    parameters) that computes its rows from the answers and entries of these assessments (None:
    all)."""
    return (
        (IndicatorLevelSum, ("indicator_id", "claimed", "expected", "verified"),
         _level_sums_sql(_within("a.scoring_assessment_id", ids)), [*_STATUSES, *(ids or [])]),
        (AffairCount, ("affair_id", "main", "related"), _affair_counts_sql(_within("e.assessment_id", ids)), (ids or []) * 2),
    )  # fmt: skip


def rebuild_level_sums(*, assessment_ids: list[int] | None = None) -> int:
    """Recompute the maintained sums (IndicatorLevelSum and AffairCount) of these assessments
    (None: all) from their answers and entries; returns the number of rows written. The triggers
    keep them exact on every write, so this is for filling them (migration 0010 does the same)
    and for repairing them after data was loaded with the triggers off (manage.py
    rebuild_level_sums; level_sums_differing finds what differs)."""
    ids = list(assessment_ids) if assessment_ids is not None else None
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model, columns, sql, params in _sources(ids):
            if connection.vendor == "postgresql":
                # Writers wait until the rebuild commits (their triggers add their change after
                # it); readers go on reading the sums as they were.
                cursor.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")
            targets = model.objects.all() if ids is None else model.objects.filter(assessment_id__in=ids)
            targets.delete()
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} (assessment_id, {', '.join(columns)}) {sql}",  # noqa: S608 - names from the models
                params,
            )
            written += cursor.rowcount
    return written


def level_sums_differing(*, assessment_ids: list[int] | None = None) -> list[int]:
    """The assessments (of these, None: all) whose kept sums differ from what their answers and
    entries give, ascending; reads only. Each table is compared in one statement (the kept rows
    beside the rows computed afresh), so a write committed meanwhile cannot show as a difference
    and no writer is kept waiting. A row of zeros counts as no row (deletions leave them)."""
    ids = list(assessment_ids) if assessment_ids is not None else None
    differing: set[int] = set()
    with connection.cursor() as cursor:
        for model, columns, sql, params in _sources(ids):
            cursor.execute(
                f"SELECT 0, s.* FROM ({sql}) s UNION ALL "  # noqa: S608 - names from the models; values are parameters
                f"SELECT 1, assessment_id, {', '.join(columns)} FROM {model._meta.db_table} WHERE {_within('assessment_id', ids)}",
                [*params, *(ids or [])],
            )
            sides: tuple[dict, dict] = ({}, {})
            for side, assessment_id, key, *values in cursor.fetchall():
                values = tuple(int(value or 0) for value in values)
                if any(values):
                    sides[side][assessment_id, key] = values
            computed, kept = sides
            differing |= {key[0] for key in computed.keys() | kept.keys() if computed.get(key) != kept.get(key)}
    return sorted(differing)


_WEIGHTED = {
    name: Sum(
        ExpressionWrapper(F("indicator__weight") * F(name), output_field=DecimalField(max_digits=14, decimal_places=2))
    )
    for name in PROJECTIONS
}


def _collect(*, assessment_ids) -> dict[int, _Sums]:
    """Aggregate these assessments' figures per assessment, in three queries whatever the number
    of regions; the innovation rows and entries are read through their maintained sums
    (IndicatorLevelSum, AffairCount), not one by one. `assessment_ids`: a list, or a query of
    their ids (a year's 552 go to the database as a subquery, not as 552 parameters)."""
    sums: dict[int, _Sums] = defaultdict(_Sums)
    region_rows = RegionAnswer.objects.filter(assessment_id__in=assessment_ids)
    for row in region_rows.values("assessment_id").annotate(**_SUMS).order_by():
        sums[row["assessment_id"]].spd = _pair(row)
    # Σ weight × level from the kept level sums (about twenty rows per region) and the
    # indicators' current weights.
    level_sums = IndicatorLevelSum.objects.filter(assessment_id__in=assessment_ids)
    for row in level_sums.values("assessment_id").annotate(**_WEIGHTED).order_by():
        sums[row["assessment_id"]].maturity_sum = {name: _exact(row[name]) for name in PROJECTIONS}
    # The number of eligible innovations and the affairs they cover, from the kept counts.
    counts = AffairCount.objects.filter(Q(main__gt=0) | Q(related__gt=0), assessment_id__in=assessment_ids)
    for assessment_id, code, main in counts.values_list("assessment_id", "affair__code", "main"):
        sums[assessment_id].count += main
        sums[assessment_id].basic_services.add(code)
    return sums


def figures_for(spec: FrameworkSpec, sums: _Sums) -> dict:
    """The three projections of one assessment, as JSON-ready dictionaries."""
    covered = sums.basic_services & spec.basic_service_codes
    missing = tuple(sorted(spec.basic_service_codes - covered))
    figures = {}
    for name in PROJECTIONS:
        # Projections often agree (nothing rejected: expected = claimed; all judged: the three):
        # the engine runs once per distinct input.
        inputs = (str(sums.spd[name]), str(sums.maturity_sum[name]))  # as written, digits included
        same = next(
            (earlier for earlier in figures if (str(sums.spd[earlier]), str(sums.maturity_sum[earlier])) == inputs),
            None,
        )
        if same is not None:
            figures[name] = {**figures[same], "basic_services_missing": list(figures[same]["basic_services_missing"])}
            continue
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
    sums = _collect(assessment_ids=Assessment.objects.filter(year=year).values("pk"))
    now = timezone.now()
    specs = {framework.pk: spec_for(framework) for framework in frameworks.values()}
    for done, assessment in enumerate(assessments, start=1):
        _apply(assessment, figures_for(specs[assessment.framework_id], sums[assessment.pk]), now)
        if progress is not None:
            progress(done, len(assessments))
    with transaction.atomic():
        _store_many(assessments)
        region_data_changed(*{assessment.region_id for assessment in assessments})
    return len(assessments)


def _store_many(assessments: list[Assessment]) -> None:
    """Write the figures of many assessments. On PostgreSQL one UPDATE ... FROM a JSON document
    of all of them (hundreds of single-row UPDATEs cost as much as the aggregation, and one
    parameter per value costs the client more than the server spends writing); elsewhere a
    batch of single-row UPDATEs."""
    fields = [Assessment._meta.get_field(name) for name in STORED]
    quote = connection.ops.quote_name
    table = quote(Assessment._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and assessments:
            # Decimals and times as text, which the column types read back exactly.
            document = json.dumps(
                [{"id": a.pk, **{f.column: getattr(a, f.attname) for f in fields}} for a in assessments], default=str
            )
            record = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
            cursor.execute(
                f"UPDATE {table} AS t SET {', '.join(f'{quote(f.column)} = v.{quote(f.column)}' for f in fields)} "  # noqa: S608 - names from the model; values are parameters
                f"FROM jsonb_to_recordset(%s::jsonb) AS v(id bigint, {record}) WHERE t.id = v.id",
                [document],
            )
        else:
            rows = [
                [a.pk, *(f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields)] for a in assessments
            ]
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

"""IGA recomputation at national scale, on PostgreSQL (run by `make bench`).

Builds its own database (lumbung_bench, dropped at the end) with 552 regions, 36,742 innovations
entered in the 2026 assessment and 20 answered rows each (734,840 rows, loaded with
generate_series), then prints:

    BENCH iga_recompute_all seconds=S raw_seconds=R ratio=S/R sum_seconds=P sum_ratio=S/P
    BENCH iga_recompute_one_ms=M
    BENCH region_summary_1000 ms=T queries=Q innovations=1000 rows=20000
    BENCH peer_comparison skipped=peer-not-installed reference_s=1.1 ours_s=T ratio_vs_reference=1.1/T

S is scoring.recompute_year: the figures of every region, three projections, computed and stored.
Since ADR 0010 it does not read the answer rows: it reads the sums the database triggers keep
(Σ level per assessment and indicator of the eligible rows, eligible innovations per affair;
about 20 rows per region) joined with the weights, runs the pure engine per region and stores
the figures. R is the index's aggregate as one hand-written SQL statement over every answer row
(per region, weighted, eligible innovations, claimed and verified), what a recomputation without
kept sums cannot go below; P the cheapest pass over the rows, SELECT SUM(level). So ratio and
sum_ratio compare reading kept sums with scanning the rows. M is one changed answer (a
QuerySet.update, which the triggers also count) and the refresh of its region, committed
together. Aim: sum_ratio ≤ 3, M ≤ 20. S, R and P are medians of seven runs each, taken in turns. The data set is loaded with the triggers on (one grouped
upsert per INSERT ... SELECT statement), so its build time includes keeping the sums.

Then one region (Lampung Barat) is grown to 1,000 entered innovations × 20 rows (benchmarks/region.py)
and T is the time of its index summary, claimed, expected and verified, computed by the app
(scoring.assessment_recompute on the assessment read afresh, from the kept sums; the median of
warm runs) with Q its queries. The nearest open-source peer, simonda (Rote Ndao), takes about 1.1 s and 1,008 queries on
SQLite for 1,000 innovations; it is not installed here, so its figure is the reference (aim: ≥ 40×).
Connection settings come from POSTGRES_HOST/PORT/USER/PASSWORD (defaults 127.0.0.1:5432,
postgres); the database name from BENCH_DB (default lumbung_bench).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = os.environ.get("BENCH_DB", "lumbung_bench")
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.base",
    DATABASE_ENGINE="postgresql",
    POSTGRES_DB=BENCH_DB,
    LUMBUNG_LOG_LEVEL="WARNING",
)
os.environ.setdefault("POSTGRES_HOST", "127.0.0.1")
os.environ.setdefault("POSTGRES_USER", "postgres")

from benchmarks.dataset import REGIONS, YEAR, build_national, create_database, drop_database  # noqa: E402
from benchmarks.region import TARGET, grow_region  # noqa: E402

# simonda (Rote Ndao), the nearest open-source peer: its index summary at 1,000 innovations.
PEER_SECONDS, PEER_QUERIES = 1.1, 1008

# R: the index's aggregate as one hand-written SQL statement over the same answer rows: each
# region's weighted sum of its eligible innovations' levels, claimed and verified.
RAW_AGGREGATE = """
    SELECT e.assessment_id, SUM(x.weight * a.level), SUM(x.weight * a.level) FILTER (WHERE a.status = 'accepted')
    FROM assessment_answer a
    JOIN assessment_entry e ON e.id = a.entry_id AND e.is_eligible
    JOIN frameworks_indicator x ON x.id = a.indicator_id
    GROUP BY e.assessment_id
"""
# The least work over the same rows (no weights, no grouping); printed for context.
PLAIN_SUM = "SELECT SUM(level) FROM assessment_answer"


def timed(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure() -> None:
    from django.db import connection, transaction

    from lumbung.assessment.models import Answer, Assessment
    from lumbung.assessment.scoring import assessment_recompute, recompute_year

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(RAW_AGGREGATE)
            cursor.fetchall()

    def plain_sum() -> None:
        with connection.cursor() as cursor:
            cursor.execute(PLAIN_SUM)
            cursor.fetchall()

    def recompute_all() -> None:
        recompute_year(year=YEAR)

    raw(), plain_sum(), recompute_year(year=YEAR)  # warm the caches once
    # Taken in turns, not in three blocks: on a shared machine the load (autovacuum after the
    # bulk load, other people's work) drifts, and a block measured in a busier minute than the
    # others would skew the ratios either way.
    samples = {raw: [], plain_sum: [], recompute_all: []}
    for _ in range(7):
        for function, taken in samples.items():
            taken.append(timed(function, 1))
    raw_seconds, plain_seconds, all_seconds = (statistics.median(taken) for taken in samples.values())
    print(
        f"BENCH iga_recompute_all seconds={all_seconds:.3f} raw_seconds={raw_seconds:.3f} ratio={all_seconds / raw_seconds:.2f}"
        f" sum_seconds={plain_seconds:.3f} sum_ratio={all_seconds / plain_seconds:.2f}"
    )
    print(
        f"(context: {PLAIN_SUM} takes {plain_seconds:.3f} s, so the recomputation is "
        f"{all_seconds / plain_seconds:.1f} times the cheapest possible pass over the rows)"
    )

    assessment = Assessment.objects.select_related("framework").order_by("pk")[REGIONS // 2]
    rows = list(Answer.objects.filter(entry__assessment=assessment).values_list("pk", "level")[:25])

    def change_and_recompute(state={"index": 0}) -> None:  # noqa: B006 - a counter across calls
        # As in the app: the changed answer and the refreshed figures commit together.
        pk, level = rows[state["index"] % len(rows)]
        state["index"] += 1
        with transaction.atomic():
            Answer.objects.filter(pk=pk).update(level=(level + 1) % 4)
            assessment_recompute(assessment=assessment)

    change_and_recompute()
    one_ms = timed(change_and_recompute, 21) * 1000
    entries = assessment.entries.count()
    print(f"BENCH iga_recompute_one_ms={one_ms:.1f}")
    print(f"(one region: {entries} innovations, {entries * 20} rows)")
    print(f"(kept sums equal the sums of the answers and entries after the changes: {kept_sums_exact()})")


def kept_sums_exact() -> bool:
    """The measured figures are right only if the triggers kept the sums exact: compare them with
    the sums computed from scratch (what scoring.rebuild_level_sums would write)."""
    from django.db import connection

    from lumbung.assessment.models import AffairCount, IndicatorLevelSum
    from lumbung.assessment.scoring import _STATUSES, _affair_counts_sql, _level_sums_sql

    with connection.cursor() as cursor:
        cursor.execute(_level_sums_sql("1 = 1"), _STATUSES)
        levels = {(a, i): (c, e, v) for a, i, c, e, v in cursor.fetchall() if (c, e, v) != (0, 0, 0)}
        cursor.execute(_affair_counts_sql("1 = 1"))
        counts = {(a, f): (m, r) for a, f, m, r in cursor.fetchall()}
    kept_levels = IndicatorLevelSum.objects.values_list(
        "assessment_id", "indicator_id", "claimed", "expected", "verified"
    )
    kept_counts = AffairCount.objects.values_list("assessment_id", "affair_id", "main", "related")
    return levels == {(a, i): (c, e, v) for a, i, c, e, v in kept_levels if (c, e, v) != (0, 0, 0)} and counts == {
        (a, f): (m, r) for a, f, m, r in kept_counts if (m, r) != (0, 0)
    }


def measure_region_summary(actor) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lumbung.assessment.models import Assessment
    from lumbung.assessment.scoring import assessment_recompute

    start = time.perf_counter()
    big = grow_region(actor=actor)
    print(f"({big.region.name} grown to {TARGET} entered innovations in {time.perf_counter() - start:.1f} s)")

    def summary() -> None:
        # What a page or a change pays: the assessment read, both projections computed and stored.
        assessment = Assessment.objects.select_related("framework").get(pk=big.assessment.pk)
        assessment_recompute(assessment=assessment)

    summary()  # warm: the framework's spec is cached per process, as in a running server
    with CaptureQueriesContext(connection) as queries:
        summary()
    seconds = timed(summary, 15)
    entries = big.assessment.entries.count()
    print(
        f"BENCH region_summary_1000 ms={seconds * 1000:.1f} queries={len(queries)} innovations={entries} rows={entries * 20}"
    )
    print(
        f"BENCH peer_comparison skipped=peer-not-installed reference_s={PEER_SECONDS} "
        f"reference_queries={PEER_QUERIES} ours_s={seconds:.3f} ours_queries={len(queries)} "
        f"ratio_vs_reference={PEER_SECONDS / seconds:.1f} goal_ratio=40"
    )


def main() -> int:
    create_database(BENCH_DB)
    try:
        import django

        django.setup()
        start = time.perf_counter()
        actor = build_national()
        print(f"(data set built in {time.perf_counter() - start:.1f} s)")
        measure()
        measure_region_summary(actor)
    finally:
        drop_database(BENCH_DB)
    return 0


if __name__ == "__main__":
    sys.exit(main())

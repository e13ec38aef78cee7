"""IGA recomputation at national scale, on PostgreSQL (run by `make bench`).

Builds its own database (lumbung_bench, dropped at the end) with 552 regions, 36,742 innovations
entered in the 2026 assessment and 20 answered rows each (734,840 rows, loaded with
generate_series), then prints:

    BENCH iga_recompute_all seconds=S raw_seconds=R ratio=S/R
    BENCH iga_recompute_one_ms=M

S is scoring.recompute_year (SQL aggregates of both projections + the pure engine per region +
storing the figures), R the same aggregate as one hand-written SQL statement over the same answer
rows (per region, weighted, eligible innovations, both projections; the cheapest pass,
SELECT SUM(level), is printed beside it for context), M one changed answer and the refresh of its region, committed together. Aim: ratio ≤ 3,
M ≤ 20. Connection settings come from POSTGRES_HOST/PORT/USER/PASSWORD (defaults 127.0.0.1:5432,
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

REGIONS = 552
INNOVATIONS = 36_742
YEAR = 2026
# Main affairs cycle through the six basic services and two others, so regions cover all six.
AFFAIRS = ("pendidikan", "kesehatan", "pupr", "perumahan", "trantibum", "sosial", "kominfo", "pariwisata")


def admin_connection():
    import psycopg

    return psycopg.connect(
        host=os.environ["POSTGRES_HOST"],
        port=os.environ.get("POSTGRES_PORT", "5432"),
        user=os.environ["POSTGRES_USER"],
        password=os.environ.get("POSTGRES_PASSWORD", ""),
        dbname="postgres",
        autocommit=True,
    )


def create_database() -> None:
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DB}"')


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def insert_select(model, source: str, values: dict[str, str]) -> str:
    """INSERT INTO <model table> (every column) SELECT ... FROM <source>: columns not in `values`
    get their model default, so the statement follows the model as it changes."""
    from django.db import models

    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.column in values:
            expressions.append(values[field.column])
        elif field.null:
            expressions.append("NULL")
        elif isinstance(field, models.JSONField):
            expressions.append("'[]'::jsonb" if field.default is list else "'{}'::jsonb")
        elif isinstance(field, models.DateTimeField):
            expressions.append("now()")
        elif isinstance(field, models.BooleanField):
            expressions.append("TRUE" if field.default is True else "FALSE")
        elif isinstance(field, (models.CharField, models.TextField, models.FileField)):
            expressions.append(f"'{field.default}'" if isinstance(field.default, str) and field.default else "''")
        elif field.has_default() and not callable(field.default):
            expressions.append(str(field.default))
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
    return f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {source}"


def build() -> None:
    from django.core.management import call_command
    from django.db import connection

    from lumbung.accounts.models import User
    from lumbung.assessment.models import Answer, Assessment, Entry, RegionAnswer
    from lumbung.frameworks.models import Framework
    from lumbung.innovations.models import GovernmentAffair, Innovation
    from lumbung.organisation.models import Region, Unit

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    regions = Region.objects.count()
    if regions != REGIONS:
        print(f"note: the reference list has {regions} regions (expected {REGIONS})")
    framework = Framework.objects.get(year=YEAR)
    actor = User.objects.create_user("bench@lumbung.test", "bench", full_name="Benchmark")
    affairs = [GovernmentAffair.objects.get(code=code).pk for code in AFFAIRS]
    with connection.cursor() as cursor:
        cursor.execute(
            insert_select(
                Unit,
                "organisation_region r",
                {"region_id": "r.id", "name": "'Badan Riset dan Inovasi Daerah'", "short_name": "'BRIDA'",
                 "kind": "'agency'", "path": "'/' || r.id || '/'"},
            )
        )  # fmt: skip
        cursor.execute(
            insert_select(
                Innovation,
                "generate_series(1, %s) g JOIN (SELECT r.id, u.id AS unit_id, row_number() OVER (ORDER BY r.id) - 1 AS idx"
                " FROM organisation_region r JOIN organisation_unit u ON u.region_id = r.id) r"
                " ON r.idx = (g - 1) %% (SELECT count(*) FROM organisation_region)",
                {"region_id": "r.id", "unit_id": "r.unit_id", "name": "'Inovasi ' || g", "stage": "'implementation'",
                 "initiator_kind": "'unit'", "form": "'public_service'", "status": "'published'",
                 "main_affair_id": f"(ARRAY{affairs})[1 + ((g - 1) / {REGIONS}) %% {len(affairs)}]",
                 "implementation_date": "DATE '2025-03-01'", "created_by_id": str(actor.pk)},
            ),
            [INNOVATIONS],
        )  # fmt: skip
        cursor.execute(
            insert_select(
                Assessment,
                "organisation_region r",
                {"region_id": "r.id", "year": str(YEAR), "framework_id": str(framework.pk), "status": "'open'",
                 "created_by_id": str(actor.pk)},
            )
        )  # fmt: skip
        cursor.execute(
            insert_select(
                Entry,
                "innovations_innovation i JOIN assessment_assessment a ON a.region_id = i.region_id",
                # One entry in twenty is not eligible: its rows are stored but not counted.
                {"assessment_id": "a.id", "innovation_id": "i.id", "is_eligible": "i.id % 20 <> 0",
                 "entered_by_id": str(actor.pk)},
            )
        )  # fmt: skip
        innovation_rows = f"frameworks_indicator x WHERE x.framework_id = {framework.pk} AND x.aspect = "
        level = "((e.id * 31 + x.id * 17) % 4)"
        cursor.execute(
            insert_select(
                Answer,
                f"assessment_entry e CROSS JOIN {innovation_rows}'innovation'",
                {"entry_id": "e.id", "scoring_assessment_id": "e.assessment_id", "indicator_id": "x.id", "level": level,
                 "status": f"CASE WHEN {level} = 0 THEN 'missing' WHEN (e.id + x.id) % 3 = 0 THEN 'claimed'"
                           " ELSE 'accepted' END"},
            )
        )  # fmt: skip
        cursor.execute(
            insert_select(
                RegionAnswer,
                f"assessment_assessment e CROSS JOIN {innovation_rows}'region'",
                {"assessment_id": "e.id", "indicator_id": "x.id", "level": level, "status": "'accepted'"},
            )
        )  # fmt: skip
        cursor.execute("ANALYZE")
    print(
        f"built: {Region.objects.count()} regions, {Entry.objects.count():,} entered innovations, "
        f"{Answer.objects.count():,} answer rows"
    )


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

    raw(), plain_sum(), recompute_year(year=YEAR)  # warm the caches once
    raw_seconds = timed(raw, 7)
    plain_seconds = timed(plain_sum, 7)
    all_seconds = timed(lambda: recompute_year(year=YEAR), 7)
    print(
        f"BENCH iga_recompute_all seconds={all_seconds:.3f} raw_seconds={raw_seconds:.3f} ratio={all_seconds / raw_seconds:.2f}"
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


def main() -> int:
    create_database()
    try:
        import django

        django.setup()
        start = time.perf_counter()
        build()
        print(f"(data set built in {time.perf_counter() - start:.1f} s)")
        measure()
    finally:
        drop_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())

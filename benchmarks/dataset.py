"""The national data set of the benchmarks (`make bench`, `make loadtest`), built in PostgreSQL.

552 regions, 36,742 innovations entered in the 2026 assessment with 20 answered rows each
(734,840 rows), loaded with generate_series in a few INSERT ... SELECT statements. The caller
sets the Django environment (settings module, DATABASE_ENGINE=postgresql, POSTGRES_DB) before
importing Django; connection settings come from POSTGRES_HOST/PORT/USER/PASSWORD.
"""

from __future__ import annotations

import os

REGIONS = 552
INNOVATIONS = 36_742
YEAR = 2026
# Main affairs cycle through the six basic services and two others, so regions cover all six.
ACTOR_EMAIL = "bench@lumbung.test"  # the author of the generated rows
AFFAIRS = ("pendidikan", "kesehatan", "pupr", "perumahan", "trantibum", "sosial", "kominfo", "pariwisata")


def admin_connection():
    import psycopg

    return psycopg.connect(
        host=os.environ.get("POSTGRES_HOST", "127.0.0.1"),
        port=os.environ.get("POSTGRES_PORT", "5432"),
        user=os.environ.get("POSTGRES_USER", "postgres"),
        password=os.environ.get("POSTGRES_PASSWORD", ""),
        dbname="postgres",
        autocommit=True,
    )


def create_database(name: str) -> None:
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_comment(name: str) -> str | None:
    """The comment stored on database `name` (None when the database does not exist)."""
    with admin_connection() as connection:
        row = connection.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    return row[0] if row else None


def set_database_comment(name: str, comment: str) -> None:
    with admin_connection() as connection:
        literal = comment.replace("'", "''")
        connection.execute(f"COMMENT ON DATABASE \"{name}\" IS '{literal}'")


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


def build_national():
    """Migrate, load the reference data and fill the national data set; returns the user
    recorded as the author of the rows."""
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
    actor = User.objects.create_user(ACTOR_EMAIL, None, full_name="Benchmark")
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
        # The path is made of the unit's own id ("/<id>/"), as Unit.save() makes it.
        cursor.execute("UPDATE organisation_unit SET path = '/' || id || '/'")
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
        # Settled tables for the measurements: no autovacuum of the fresh rows running under them.
        cursor.execute("VACUUM ANALYZE")
    print(
        f"built: {Region.objects.count()} regions, {Entry.objects.count():,} entered innovations, "
        f"{Answer.objects.count():,} answer rows"
    )
    return actor

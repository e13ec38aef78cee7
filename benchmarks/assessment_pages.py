"""The completeness matrix, the planner and matrix.xlsx of the demo region, at the demo's size and
grown to 1,000 entered innovations × 20 rows (PostgreSQL, Django test client, DEBUG off).

    python benchmarks/assessment_pages.py [--reuse] [--keep]

Builds its own database (PAGES_DB, default lumbung_pages): migrations, `load_demo`, then measures
the demo; grows the demo's assessment to 1,000 entries with bulk inserts in a transaction that is
rolled back afterwards, and measures again. Prints
one line per page and size:

    PAGES page=matrix entries=1000 queries=Q ms=M bytes=B

M is the median of five requests after one warm-up. --reuse skips the build when the database
exists; --keep leaves it for another run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES_DB = os.environ.get("PAGES_DB", "lumbung_pages")
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.test",
    DATABASE_ENGINE="postgresql",
    POSTGRES_DB=PAGES_DB,
    LUMBUNG_LOG_LEVEL="WARNING",
)
os.environ.setdefault("POSTGRES_HOST", "127.0.0.1")
os.environ.setdefault("POSTGRES_USER", "postgres")
TARGET = 1000
RUNS = 5


def admin_connection():
    import psycopg

    return psycopg.connect(
        host=os.environ["POSTGRES_HOST"], port=os.environ.get("POSTGRES_PORT", "5432"),
        user=os.environ["POSTGRES_USER"], password=os.environ.get("POSTGRES_PASSWORD", ""),
        dbname="postgres", autocommit=True,
    )  # fmt: skip


def database_exists() -> bool:
    with admin_connection() as connection:
        return bool(connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PAGES_DB]).fetchone())


def build() -> None:
    from django.core.management import call_command

    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{PAGES_DB}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{PAGES_DB}"')
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, quiet_logins=True)


def demo_assessment():
    from lumbung.assessment.models import Assessment
    from lumbung.core.demo import DEMO_REGION_CODE

    return (
        Assessment.objects.filter(region__code=DEMO_REGION_CODE, entries__isnull=False)
        .distinct()
        .order_by("-year")
        .first()
    )


def grow_to(assessment, total: int) -> None:
    from lumbung.assessment.models import Document
    from lumbung.assessment.tests.bulk import grow
    from lumbung.organisation.models import Unit

    missing = total - assessment.entries.count()
    if missing <= 0:
        return
    first = assessment.entries.select_related("innovation").first()
    units = list(Unit.objects.filter(region=assessment.region, is_active=True).exclude(kind=Unit.Kind.VILLAGE))
    document = Document.objects.filter(region=assessment.region).first()
    grow(assessment, missing, actor=first.entered_by, units=units, template=first.innovation, document=document)


def measure(assessment, label: str) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from lumbung.accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email="admin@lambar.test"))
    entries = assessment.entries.count()
    pages = {
        "matrix": reverse("assessment:matrix", args=[assessment.pk]),
        "planner": reverse("assessment:planner", args=[assessment.pk]),
        "matrix_xlsx": reverse("assessment:matrix-export", args=[assessment.pk]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        times = []
        for _ in range(RUNS):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                body = b"".join(response) if response.streaming else response.content
                times.append((time.perf_counter() - started) * 1000)
        print(
            f"PAGES page={name} {label} entries={entries} queries={len(captured.captured_queries)} "
            f"ms={statistics.median(times):.0f} bytes={len(body)}",
            flush=True,
        )


def main() -> int:
    import django

    reuse = "--reuse" in sys.argv
    if not (reuse and database_exists()):
        django.setup()
        build()
    else:
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)  # the tree may have moved on since the build
    from django.db import connection, transaction

    assessment = demo_assessment()
    measure(assessment, "size=demo")
    # The grown region is rolled back, so --reuse measures the demo as loaded every time.
    with transaction.atomic():
        grow_to(assessment, TARGET)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a load: plans for the real sizes
        measure(assessment, "size=grown")
        transaction.set_rollback(True)
    if "--keep" not in sys.argv:
        from django.db import connections

        connections.close_all()
        with admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PAGES_DB}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())

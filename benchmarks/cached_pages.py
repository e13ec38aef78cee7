"""The leaders' dashboard, the assessment overview, the verification queue, the dashboard PDF and
the public pages of the demo region, at the demo's size and grown to 1,000 entered innovations
(PostgreSQL, Django test client, DEBUG off). Each page is read with an empty cache (first reader
after a change) and again (cache hit).

    python benchmarks/cached_pages.py [--reuse] [--keep]

Prints one line per page and size:

    CACHED page=dashboard size=grown entries=1000 cold_ms=M cold_queries=Q warm_ms=M warm_queries=Q
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

os.environ.setdefault("PAGES_DB", "lumbung_cached_pages")
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.test",
    DATABASE_ENGINE="postgresql",
    POSTGRES_DB=os.environ["PAGES_DB"],
    LUMBUNG_LOG_LEVEL="WARNING",
    DJANGO_ALLOWED_HOSTS="testserver",
)
os.environ.setdefault("POSTGRES_HOST", "127.0.0.1")
os.environ.setdefault("POSTGRES_USER", "postgres")

from benchmarks import assessment_pages as pages  # noqa: E402 - after the environment is set

RUNS = 5


def _timed(client, url, clear: bool):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, counts = [], []
    for _ in range(RUNS):
        if clear:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(captured.captured_queries))
    return statistics.median(times), max(counts), len(body)


def measure(assessment, label: str) -> None:
    from django.test import Client
    from django.urls import reverse

    from lumbung.accounts.models import User
    from lumbung.innovations.models import Innovation

    staff, visitor = Client(), Client()
    staff.force_login(User.objects.get(email="admin@lambar.test"))
    code = assessment.region.code
    published = Innovation.objects.published().filter(region=assessment.region).order_by("pk").first()
    targets = {
        "dashboard": (staff, reverse("assessment:dashboard")),
        "overview": (staff, reverse("assessment:detail", args=[assessment.pk])),
        "queue": (staff, reverse("assessment:queue", args=[assessment.pk])),
        "dashboard_pdf": (staff, reverse("assessment:dashboard-pdf")),
        "showcase": (visitor, reverse("showcase:index", args=[code])),
        "public_detail": (visitor, reverse("showcase:detail", args=[code, published.pk])),
        "open_data_json": (visitor, reverse("showcase:open-data-json", args=[code])),
        "open_data_csv": (visitor, reverse("showcase:open-data-csv", args=[code])),
    }
    entries = assessment.entries.count()
    for name, (client, url) in targets.items():
        client.get(url)
        cold_ms, cold_queries, size = _timed(client, url, clear=True)
        warm_ms, warm_queries, _size = _timed(client, url, clear=False)
        print(
            f"CACHED page={name} {label} entries={entries} cold_ms={cold_ms:.0f} cold_queries={cold_queries} "
            f"warm_ms={warm_ms:.0f} warm_queries={warm_queries} bytes={size}",
            flush=True,
        )


def main() -> int:
    import django

    pages.PAGES_DB = os.environ["PAGES_DB"]
    django.setup()
    if not ("--reuse" in sys.argv and pages.database_exists()):
        pages.build()
    from django.db import transaction

    assessment = pages.demo_assessment()
    measure(assessment, "size=demo")
    with transaction.atomic():
        pages.grow_to(assessment, pages.TARGET)
        measure(assessment, "size=grown")
        transaction.set_rollback(True)
    if "--keep" not in sys.argv:
        from django.db import connections

        connections.close_all()
        with pages.admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{pages.PAGES_DB}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The planner's cold plan at 1,000 innovations (issue 10), read from a database the load test
built (`make loadtest` leaves lumbung_load; PLANNER_DB names another). The session is read-only:
nothing is written, the cache is bypassed (every read is the first after a change).

    python benchmarks/planner.py

Prints the median and the best of 7 runs, wall clock and this process's CPU (on a shared
machine the CPU figure is the steadier one), for:

    PLANNER part=plan_for       the plan of the whole region (planning.plan_for: input + ranking)
    PLANNER part=page           the planner page's cached part (views.planner._plan_page's build)
    PLANNER part=briefing       the briefing's top actions (briefing._plan_summary)
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.production",
    DATABASE_ENGINE="postgresql",
    POSTGRES_DB=os.environ.get("PLANNER_DB", "lumbung_load"),
    LUMBUNG_LOG_LEVEL="WARNING",
)
os.environ.setdefault("POSTGRES_HOST", "127.0.0.1")
os.environ.setdefault("POSTGRES_USER", "postgres")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.pop("REDIS_URL", None)  # the process's own memory cache, bypassed below anyway

RUNS = 7


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from lumbung.assessment import briefing, planning
    from lumbung.assessment.models import Assessment
    from lumbung.assessment.views import planner as views
    from lumbung.frameworks.planner import Projection

    with connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    translation.activate("id")
    views.cached = lambda name, *, region_id, build, parts=(), version=None: build()  # always cold
    assessment = (
        Assessment.objects.select_related("framework").annotate(size=Count("entries")).order_by("-size").first()
    )
    entries = assessment.entries.filter(is_eligible=True).count()
    parts = {
        "plan_for": lambda: planning.plan_for(assessment),
        "page": lambda: views._plan_page(assessment, Projection.VERIFIED, None, "", None),
        "briefing": lambda: briefing._plan_summary(assessment),
    }
    for name, run in parts.items():
        with CaptureQueriesContext(connection) as queries:
            run()  # warm: the framework's spec is cached per process, as in a running server
        wall, cpu = [], []
        for _ in range(RUNS):
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(
            f"PLANNER part={name} innovations={entries} wall_ms={statistics.median(wall) * 1000:.0f}"
            f" best_wall_ms={min(wall) * 1000:.0f} cpu_ms={statistics.median(cpu) * 1000:.0f}"
            f" queries={len(queries)}"
        )


if __name__ == "__main__":
    main()

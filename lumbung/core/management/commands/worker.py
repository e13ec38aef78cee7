"""manage.py worker: django-tasks-db's db_worker, plus what a worker that may die needs.

- At start it reaps the jobs abandoned by a worker that died (core.workers.jobs_reap).
- It records a heartbeat (core.models.WorkerBeat) that /health reports.
- When the database goes away it waits and reconnects instead of exiting.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

from lumbung.core.workers import jobs_reap, worker_beat_start, worker_beat_stop

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = "Menjalankan pekerja tugas latar (db_worker dengan tanda hidup, pemulihan tugas, dan sambung ulang)."

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        delay = 1.0
        while True:
            try:
                for job, outcome in jobs_reap():
                    logger.warning("Job %s (%s) abandoned by a dead worker: %s", job.pk, job.kind, outcome)
                beat = worker_beat_start(worker_id)
                try:
                    return super().handle(*args, **options)
                finally:
                    worker_beat_stop(beat, worker_id)
            except (OperationalError, InterfaceError) as error:
                if options.get("batch"):
                    raise
                # The database is away (restart, failover): wait, reconnect, go on.
                logger.warning("Database unavailable (%s); retrying in %.0f s", error, delay)
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, 30.0)

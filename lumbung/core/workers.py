"""Task workers that may die: heartbeats, the reaper of abandoned jobs, and the retention of old jobs.

A running job beats every few seconds from a thread of its own (`Heartbeat`, started by
core.jobs.running_job). A worker killed with `kill -9`, or a machine that lost power, stops the
beat; `jobs_reap` (run by `manage.py reap_jobs` from cron and by `manage.py worker` at start)
finds running jobs whose beat is older than LUMBUNG_JOB_STALE_SECONDS and either queues them again
(jobs started with `retries=`) or marks them failed with a message the user sees. Nothing stays
"Berjalan" for ever.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job, WorkerBeat

logger = logging.getLogger(__name__)

# Sent after the reaper retried or failed a job (sender=Job, job=..., retried=bool), for the apps
# whose records follow a job (an import batch, for instance).
job_abandoned = Signal()


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.LUMBUNG_JOB_STALE_SECONDS)


def beat_interval() -> float:
    # Four beats per stale period: one slow write never makes a live job look dead.
    return max(0.5, settings.LUMBUNG_JOB_STALE_SECONDS / 4)


class Heartbeat(threading.Thread):
    """Calls `beat()` every `interval` seconds until stopped, on its own database connection."""

    def __init__(self, beat, interval: float, name: str):
        super().__init__(daemon=True, name=name)
        self.beat, self.interval = beat, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    self.beat()
                except DatabaseError:
                    # The database may be away for a moment; the next beat tries again.
                    logger.warning("%s: heartbeat not written", self.name, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)


def job_heartbeat(job_id) -> Heartbeat:
    def beat():
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())

    thread = Heartbeat(beat, beat_interval(), f"job-heartbeat-{job_id}")
    thread.start()
    return thread


def _task_result_of(job: Job):
    """The django-tasks-db row that ran this job, when the database backend is in use."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the backend is a requirement
        return None
    return DBTaskResult.objects.filter(args_kwargs__kwargs__job_id=str(job.pk)).order_by("-enqueued_at").first()


def _fail_task_result(task_result, now) -> None:
    from django_tasks_db.compat import TaskResultStatus

    if task_result is not None and task_result.status == TaskResultStatus.RUNNING:
        task_result.status = TaskResultStatus.FAILED
        task_result.finished_at = now
        task_result.exception_class_path = "lumbung.core.workers.WorkerDied"
        task_result.traceback = "The worker running this task stopped (no heartbeat); see core.workers."
        task_result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])


def jobs_reap(now=None) -> list[tuple[Job, str]]:
    """Retry or fail every running job whose heartbeat stopped. Returns (job, "retried"|"failed")."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    stale = Job.objects.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    outcomes = []
    for job_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            # Locked and checked again: two reapers (cron and a starting worker) may meet here.
            job = stale.select_for_update().filter(pk=job_id).first()
            if job is None:
                continue
            outcome = _reap(job, now)
        job_abandoned.send(sender=Job, job=job, retried=outcome == "retried")
        logger.warning("Job %s (%s) abandoned by its worker: %s", job.pk, job.kind, outcome)
        outcomes.append((job, outcome))
    return outcomes


def _reap(job: Job, now) -> str:
    task_result = _task_result_of(job)
    _fail_task_result(task_result, now)
    if job.attempts < job.max_attempts and task_result is not None:
        job.status, job.started_at, job.heartbeat_at = Job.Status.QUEUED, None, None
        job.message = _("Pekerja tugas latar berhenti mendadak; tugas diulang (percobaan %(next)s dari %(max)s).") % {
            "next": job.attempts + 1,
            "max": job.max_attempts,
        }
        job.save(update_fields=["status", "started_at", "heartbeat_at", "message"])
        task = task_result.task
        task.enqueue(*task_result.args_kwargs.get("args", []), **task_result.args_kwargs.get("kwargs", {}))
        return "retried"
    job.status, job.finished_at = Job.Status.FAILED, now
    job.error = _(
        "Pekerja tugas latar berhenti mendadak (server dimatikan atau kehabisan memori) pada langkah "
        "%(done)s dari %(total)s, sehingga tugas ini tidak selesai. Silakan mulai lagi; bila terulang, "
        "hubungi admin."
    ) % {"done": job.progress, "total": job.total or "?"}
    job.save(update_fields=["status", "finished_at", "error"])
    return "failed"


def jobs_prune(days: int | None = None, now=None) -> tuple[int, int]:
    """Remove finished jobs (and their result files) and finished task rows older than `days`."""
    from django_tasks_db.models import DBTaskResult

    days = settings.LUMBUNG_JOB_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    old = Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=cutoff)
    files = 0
    for job in old.exclude(result_file="").only("pk", "result_file"):
        job.result_file.delete(save=False)
        files += 1
    removed, _detail = old.delete()
    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return removed, files


# --- workers --------------------------------------------------------------------------------


def worker_beat_start(worker_id: str) -> Heartbeat:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:200], "pid": os.getpid(), "started_at": now, "seen_at": now},
    )

    def beat():
        WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=timezone.now())

    thread = Heartbeat(beat, beat_interval(), f"worker-heartbeat-{worker_id}")
    thread.start()
    return thread


def worker_beat_stop(thread: Heartbeat, worker_id: str) -> None:
    thread.stop()
    try:
        WorkerBeat.objects.filter(worker_id=worker_id).delete()
    except DatabaseError:
        logger.warning("Worker %s: beat row not removed", worker_id)


def workers_status(now=None) -> dict:
    """For /health: live workers, and how long the oldest queued job has waited."""
    now = now or timezone.now()
    alive = WorkerBeat.objects.filter(seen_at__gte=now - stale_after()).count()
    oldest = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at").values_list("created_at", flat=True)
    oldest = oldest.first()
    waiting = int((now - oldest).total_seconds()) if oldest else 0
    stuck = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=now - stale_after()).count()
    return {
        "ok": alive > 0 or (waiting < settings.LUMBUNG_JOB_STALE_SECONDS and not stuck),
        "alive": alive,
        "oldest_queued_seconds": waiting,
        "abandoned": stuck,
    }

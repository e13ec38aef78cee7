"""Start background work and report its progress to the page that waits for it.

job = start_job(task=build_pack, kind="portal_pack", label=..., owner=user, region=region)
...
@task()
def build_pack(job_id: str) -> None:
    with running_job(job_id) as job:
        for done, item in enumerate(items, 1):
            ...
            job.step(done, len(items))
        job.attach("paket.zip", data)
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from django.core.files.base import ContentFile, File
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from .caching import region_data_changed
from .models import Job
from .workers import job_heartbeat

logger = logging.getLogger(__name__)


def start_job(
    *, task, kind: str, label: str, owner, region=None, next_url: str = "", retries: int = 0, **task_kwargs
) -> Job:
    """Create the job row and enqueue `task(job_id=..., **task_kwargs)`.

    The task row is written in the same transaction as the job, so a worker never sees a task
    whose job does not exist yet. `retries`: how often the reaper may run the task again when its
    worker died (only for tasks that are safe to repeat, such as building a file).
    """
    job = Job.objects.create(
        kind=kind, label=label, owner=owner, region=region, next_url=next_url, max_attempts=1 + retries
    )
    task.enqueue(job_id=str(job.pk), **task_kwargs)
    return job


class JobHandle:
    """What a running task uses to report progress and attach its result."""

    # Progress writes are cheap but not free; at most a few per second reach the database.
    MIN_INTERVAL = 0.5

    def __init__(self, job: Job):
        self.job = job
        self._last_write = 0.0

    def step(self, done: int, total: int | None = None, message: str = "") -> None:
        job = self.job
        job.progress = done
        if total is not None:
            job.total = total
        if message:
            job.message = message[:300]
        now = time.monotonic()
        if now - self._last_write >= self.MIN_INTERVAL or (job.total and done >= job.total):
            Job.objects.filter(pk=job.pk).update(progress=job.progress, total=job.total, message=job.message)
            self._last_write = now

    def attach(self, name: str, content: bytes) -> None:
        self.job.result_name = name
        self.job.result_file.save(name, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name, result_name=name)

    def attach_file(self, name: str, file) -> None:
        """Attach a result already written to an open binary file (read in chunks, so a large
        ZIP never has to fit in memory)."""
        self.job.result_name = name
        self.job.result_file.save(name, File(file, name=name), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name, result_name=name)

    def set_result(self, **values) -> None:
        self.job.result.update(values)
        Job.objects.filter(pk=self.job.pk).update(result=self.job.result)


@contextmanager
def running_job(job_id: str):
    job = Job.objects.get(pk=job_id)
    job.status = Job.Status.RUNNING
    job.started_at = job.heartbeat_at = timezone.now()
    job.attempts += 1
    job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
    handle = JobHandle(job)
    heartbeat = job_heartbeat(job.pk)
    try:
        yield handle
    except Exception as error:
        _data_changed(job)
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            error=_("Terjadi kesalahan saat memproses: %(error)s") % {"error": str(error)[:500]},
        )
        raise
    else:
        _data_changed(job)
        finished = timezone.now()
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.SUCCEEDED,
            finished_at=finished,
            progress=max(job.progress, job.total),
            message=job.message,
        )
        job.status, job.finished_at = Job.Status.SUCCEEDED, finished
    finally:
        heartbeat.stop()


def _data_changed(job: Job) -> None:
    """Work done in the worker may write in bulk (no signals) and commit as it goes: the cached
    figures of the job's region (every region for a job without one) go stale when it ends."""
    try:
        region_data_changed(job.region_id)
    except DatabaseError:
        logger.exception("Job %s: the data version could not be bumped", job.pk)

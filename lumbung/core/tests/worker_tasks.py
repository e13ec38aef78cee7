"""Tasks the real-worker tests enqueue (a worker process imports them by path)."""

import os
import time
import uuid
from pathlib import Path

from lumbung.core.jobs import running_job
from lumbung.core.tasks import task


@task()
def record_run(job_id: str, marker_dir: str, first_run_seconds: float = 0.0, steps: int = 4) -> None:
    """Leave one marker file per run, then work in steps; the first attempt may be slow."""
    with running_job(job_id) as job:
        Path(marker_dir, f"{job_id}.{os.getpid()}.{uuid.uuid4().hex[:6]}").touch()
        pause = first_run_seconds / steps if job.job.attempts == 1 else 0.0
        for step in range(1, steps + 1):
            time.sleep(pause)
            job.step(step, steps)

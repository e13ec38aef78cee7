"""Real `manage.py worker` processes: two workers on one queue run each task exactly once; a worker
killed with SIGKILL in the middle of a long task leaves a job that the reaper fails or retries."""

import os
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from lumbung.core.jobs import start_job
from lumbung.core.models import WorkerBeat

from .realworkers import Queue
from .worker_tasks import record_run

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _enqueue(world, markers: Path, count: int, **kwargs) -> list[str]:
    owner = world.user("admin")
    return [
        str(start_job(task=record_run, kind="uji", label=f"Uji {n}", owner=owner, marker_dir=str(markers), **kwargs).pk)
        for n in range(count)
    ]


def test_two_workers_run_each_task_exactly_once(world, db_tasks, tmp_path):
    markers = tmp_path / "jejak"
    markers.mkdir()
    if connection.vendor == "postgresql":
        # Both workers are up (their heartbeats are in) before the work arrives, so both take some.
        queue = Queue(tmp_path)
        workers = [queue.worker(f"--worker-id=pekerja-{n}") for n in (1, 2)]
        try:
            deadline = time.monotonic() + 120
            while WorkerBeat.objects.count() < 2 and time.monotonic() < deadline:
                time.sleep(0.3)
            ids = _enqueue(world, markers, 24, first_run_seconds=0.3, steps=2)
            queue.wait_for(lambda jobs: all(jobs[job_id][0] == "succeeded" for job_id in ids), timeout=300)
        finally:
            for worker in workers:
                worker.terminate()  # SIGTERM: a graceful stop between tasks
            outputs = [worker.communicate(timeout=60)[0] for worker in workers]
        pids = {path.name.split(".")[1] for path in markers.iterdir()}
        assert len(pids) == 2, outputs
    else:
        # SQLite: the queue is a file copy taken after the work is enqueued; both workers drain it.
        ids = _enqueue(world, markers, 24, steps=2)
        queue = Queue(tmp_path)
        workers = [queue.worker("--batch", f"--worker-id=pekerja-{n}") for n in (1, 2)]
        outputs = [worker.communicate(timeout=300)[0] for worker in workers]
        assert [worker.returncode for worker in workers] == [0, 0], outputs
    runs = Counter(path.name.split(".")[0] for path in markers.iterdir())
    assert set(runs) == set(ids) and set(runs.values()) == {1}, runs
    jobs = queue.jobs()
    assert {jobs[job_id][0] for job_id in ids} == {"succeeded"}


@pytest.mark.parametrize("retries", [0, 1])
def test_a_worker_killed_mid_task_is_reaped(world, db_tasks, tmp_path, retries):
    markers = tmp_path / "jejak"
    markers.mkdir()
    (job_id,) = _enqueue(world, markers, 1, first_run_seconds=120, steps=60, retries=retries)
    queue = Queue(tmp_path, stale_seconds=4)
    worker = queue.worker()
    try:
        queue.wait_for(lambda jobs: jobs[job_id][0] == "running")
        time.sleep(1.5)
    finally:
        os.kill(worker.pid, signal.SIGKILL)  # no handler runs: the job is left "running"
        worker.wait(timeout=30)
    assert queue.jobs()[job_id][0] == "running"
    time.sleep(5)  # longer than the stale period: the heartbeat has stopped

    if retries == 0:
        reaper = queue.command("reap_jobs")
        output = reaper.communicate(timeout=120)[0]
        assert reaper.returncode == 0 and "digagalkan" in output, output
        status, attempts, error = queue.jobs()[job_id]
        assert status == "failed" and attempts == 1 and "berhenti mendadak" in error
    else:
        # A new worker reaps at start, queues the job again and runs it to the end.
        worker = queue.worker("--batch")
        output = worker.communicate(timeout=300)[0]
        assert worker.returncode == 0, output
        status, attempts, _error = queue.jobs()[job_id]
        assert (status, attempts) == ("succeeded", 2)
        assert len(list(markers.iterdir())) == 2

"""The region's pack (regionpack.region_pack_task) in a real `manage.py worker` process, started the
way the admin starts it (the "Bangun paket seluruh pemda" button): the job's progress moves, the ZIP
lands in storage whole and opens; a worker killed with SIGKILL mid-pack leaves no half pack and
the job is built again by the next worker (started with retries=1), and a job whose retry dies too
is failed with the step it reached, for the user to see (decisions 0004 and 0006)."""

import io
import json
import signal
import time
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from lumbung.assessment import regionpack, services
from lumbung.core.models import Job
from lumbung.core.tests.realworkers import Queue
from lumbung.innovations.models import Attachment

from .factories import claim_with_evidence, pdf_file

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

STALE_SECONDS = 4
KILL_STEP = 3  # after the two workbooks and the first evidence file
JOB_COLUMNS = ["status", "progress", "total", "attempts", "error", "result_file", "result"]
JOB_SQL = "SELECT status, progress, total, attempts, error, result_file, result FROM core_job WHERE kind = %s"


@pytest.fixture
def region(world, settings, tmp_path, assessment, entry, admin, verifier):
    """Four accepted evidence files (three rows of the innovation, one SPD row), a profile attachment,
    stored where the worker processes read them. Tasks go to the real queue only afterwards: the
    uploads' pre-checks have run here by then and do not stand in the pack's way."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    rows = {row.indicator.code: row for row in entry.answers.select_related("indicator", "entry__assessment")}
    for code, title in (("16", "Perbup Inovasi Daerah"), ("19", "Foto alat kerja"), ("20", "Laporan manfaat")):
        claim_with_evidence(rows[code], actor=admin, level=1, title=title, year=2026)
        services.row_transition(row=rows[code], action="accept", actor=verifier)
    spd = assessment.region_answers.select_related("indicator", "assessment").get(indicator__code="12")
    claim_with_evidence(spd, actor=admin, level=3, title="SK Penghargaan Inovator", year=2026)
    services.row_transition(row=spd, action="accept", actor=verifier)
    Attachment.objects.create(
        innovation=entry.innovation, kind=Attachment.Kind.BUDGET, title="RKA Diskominfo 2026",
        file=pdf_file("rka.pdf", salt="rka"), original_name="rka.pdf", content_type="application/pdf",
        size=1, sha256="a" * 64, uploaded_by=admin,
    )  # fmt: skip
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assessment.refresh_from_db()
    return assessment


def _start(client, region, admin) -> Job:
    """The admin's button on the pre-flight page; the job waits in the queue for a worker."""
    client.force_login(admin)
    response = client.post(reverse("assessment:region-pack", args=[region.pk]))
    job = Job.objects.get(kind="region_pack")
    assert response.status_code == 302 and response.url == reverse("core:job-detail", args=[job.pk])
    assert (job.status, job.progress, job.attempts) == (Job.Status.QUEUED, 0, 0)  # not built in the request
    return job


def _job(queue: Queue) -> dict:
    [row] = queue.query(JOB_SQL, ["region_pack"])
    job = dict(zip(JOB_COLUMNS, row, strict=True))
    job["result"] = json.loads(job["result"]) if isinstance(job["result"], str) else job["result"]
    return job


def _expected(region) -> tuple[list[str], int]:
    """The names in the same pack built here, uninterrupted, and its number of steps."""
    target, steps = io.BytesIO(), []
    regionpack.build_region_pack(region, target, progress=lambda done, total, message="": steps.append(total))
    return zipfile.ZipFile(target).namelist(), steps[-1]


def _stored_packs(settings) -> list[Path]:
    return sorted(Path(settings.MEDIA_ROOT).glob("jobs/**/*.zip"))


def _opened(settings, job: dict, expected_names: list[str]) -> None:
    """The stored pack is a whole ZIP with the pack's contents, its files readable."""
    path = Path(settings.MEDIA_ROOT) / job["result_file"]
    assert job["result_file"] and path.is_file()
    with zipfile.ZipFile(path) as pack:
        assert pack.testzip() is None and pack.namelist() == expected_names
        evidence = [name for name in pack.namelist() if name.endswith(".pdf")]
        assert len(evidence) == 5 and all(pack.read(name).startswith(b"%PDF") for name in evidence)
        report = load_workbook(io.BytesIO(pack.read(regionpack.REPORT_NAME)), read_only=True)
        assert "Ringkasan" in report.sheetnames
    assert job["result"]["files"] == 4 and job["result"]["unreadable"] == 0


def _killed(queue: Queue, **fault) -> None:
    worker = queue.worker(kill_at=f"region_pack:{KILL_STEP}", **fault)
    try:
        output = worker.communicate(timeout=120)[0]
    finally:
        worker.kill()
    assert worker.returncode == -signal.SIGKILL, output


def _killed_mid_pack(queue: Queue, total: int, attempts: int) -> dict:
    """The job as a worker killed mid-pack left it: running, moved part of the way, nothing stored."""
    job = _job(queue)
    assert (job["status"], job["attempts"], job["total"]) == ("running", attempts, total)
    # Progress is written at most twice a second: the first step always, the later ones maybe.
    assert 1 <= job["progress"] <= KILL_STEP < total
    assert job["result_file"] == ""  # no half-written pack is offered for download
    return job


def test_the_worker_builds_the_pack_with_progress_and_stores_it(client, region, admin, tmp_path, settings):
    job = _start(client, region, admin)
    names, total = _expected(region)
    queue = Queue(tmp_path)
    worker = queue.worker()
    seen = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            row = _job(queue)
            seen.append((row["status"], row["progress"]))
            if row["status"] in ("succeeded", "failed"):
                break
            time.sleep(0.05)
    finally:
        worker.terminate()  # SIGTERM: a graceful stop between tasks
        output = worker.communicate(timeout=60)[0]
    done = _job(queue)
    assert (done["status"], done["attempts"], done["error"]) == ("succeeded", 1, ""), output
    assert done["progress"] == done["total"] == total
    progress = [value for _status, value in seen]
    assert progress == sorted(progress), "progress never goes back"
    _opened(settings, done, names)
    assert len(_stored_packs(settings)) == 1
    if connection.vendor == "postgresql":  # the test's own database is the queue: the user's download
        download = client.get(reverse("core:job-download", args=[job.pk]))
        content = b"".join(download.streaming_content)
        assert content == (Path(settings.MEDIA_ROOT) / done["result_file"]).read_bytes()


def test_a_worker_killed_mid_pack_strands_nothing_and_the_next_builds_it_whole(
    client, region, admin, tmp_path, settings
):
    _start(client, region, admin)
    names, total = _expected(region)
    queue = Queue(tmp_path, stale_seconds=STALE_SECONDS)

    _killed(queue)
    _killed_mid_pack(queue, total, attempts=1)
    assert _stored_packs(settings) == []

    time.sleep(STALE_SECONDS + 1)  # the dead worker's heartbeat is now stale
    output = queue.run("worker", "--no-reload", "--no-startup-delay", "--batch")  # reaps at start, runs again
    assert "abandoned" in output and "retried" in output, output
    done = _job(queue)
    assert (done["status"], done["attempts"], done["error"]) == ("succeeded", 2, ""), output
    assert done["progress"] == done["total"] == total
    _opened(settings, done, names)
    assert len(_stored_packs(settings)) == 1  # the retry's pack only
    tasks = queue.query("SELECT status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at")
    assert [status for (status,) in tasks] == ["FAILED", "SUCCESSFUL"]  # the dead run closed, one rerun


def test_a_pack_whose_retry_dies_too_is_failed_with_the_step_it_reached(client, region, admin, tmp_path, settings):
    job = _start(client, region, admin)
    _names, total = _expected(region)
    queue = Queue(tmp_path, stale_seconds=STALE_SECONDS)

    _killed(queue)
    time.sleep(STALE_SECONDS + 1)
    _killed(queue, kill_attempts=2)  # reaps and queues it again at start, then dies mid-pack again
    stranded = _killed_mid_pack(queue, total, attempts=2)

    time.sleep(STALE_SECONDS + 1)
    output = queue.run("reap_jobs")
    assert "digagalkan" in output, output
    failed = _job(queue)
    assert (failed["status"], failed["attempts"], failed["result_file"]) == ("failed", 2, "")
    assert "berhenti mendadak" in failed["error"]
    assert f"langkah {stranded['progress']} dari {total}" in failed["error"]
    assert _stored_packs(settings) == []
    tasks = queue.query("SELECT status FROM django_tasks_database_dbtaskresult")
    assert sorted(status for (status,) in tasks) == ["FAILED", "FAILED"]  # nothing left for a worker to take
    queue.run("worker", "--no-reload", "--no-startup-delay", "--batch")
    assert _job(queue)["status"] == "failed" and _job(queue)["attempts"] == 2  # not run a third time
    if connection.vendor == "postgresql":  # the test's own database is the queue: the page the user sees
        client.force_login(admin)
        page = client.get(reverse("core:job-detail", args=[job.pk])).content.decode()
        assert "Pekerja tugas latar berhenti mendadak" in page and "Gagal" in page

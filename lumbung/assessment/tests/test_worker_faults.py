"""A real task worker killed with SIGKILL in the middle of a portal pack and of a recomputation of
every region's figures: nothing half-done is left behind or shown as done, and the job is retried
to a complete result by the next worker (both tasks are safe to repeat)."""

import io
import signal
import time
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from lumbung.assessment.models import Assessment
from lumbung.assessment.packs import build_portal_pack, pack_entry, portal_pack_start
from lumbung.assessment.scoring import recompute_year, recompute_year_start
from lumbung.assessment.services import row_transition
from lumbung.core.roles import Role
from lumbung.core.tests.realworkers import Queue

from .factories import claim_with_evidence, enter, open_assessment

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

STALE_SECONDS = 4


def _killed(queue: Queue, kill_at: str) -> str:
    """Run a worker that dies at `kill_at`; its output."""
    worker = queue.worker(kill_at=kill_at)
    try:
        output = worker.communicate(timeout=180)[0]
    finally:
        worker.kill()
    assert worker.returncode == -signal.SIGKILL, output
    return output


def _retried(queue: Queue) -> str:
    """After the stale period, a new worker reaps the dead one's job at start and runs it again."""
    time.sleep(STALE_SECONDS + 1)
    return queue.run("worker", "--no-reload", "--no-startup-delay", "--batch")


def _result_file(queue: Queue, job_id) -> str:
    files = {uuid.UUID(str(pk)): name for pk, name in queue.query("SELECT id, result_file FROM core_job")}
    return files[job_id]


def test_a_worker_killed_while_packing_leaves_no_pack_and_the_retry_builds_it_whole(
    world, db_tasks, tmp_path, settings, assessment, admin, operator
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # where the worker processes read stored files
    entry = enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
    rows = list(entry.answers.select_related("indicator", "entry__assessment").order_by("indicator__order")[:3])
    for number, row in enumerate(rows, start=1):
        claim_with_evidence(row, actor=operator, level=1, title=f"Bukti nomor {number}", year=2026)
        row_transition(row=row, action="accept", actor=world.user(Role.VERIFIER))  # packed whatever the rule
    job = portal_pack_start(entry=entry, actor=admin)
    queue = Queue(tmp_path, stale_seconds=STALE_SECONDS)

    _killed(queue, kill_at="portal_pack:1")  # after the first of the files
    status, attempts, _error = queue.jobs()[str(job.pk)]
    assert (status, attempts) == ("running", 1)
    assert _result_file(queue, job.pk) == ""  # no half-written pack is offered for download

    output = _retried(queue)
    status, attempts, error = queue.jobs()[str(job.pk)]
    assert (status, attempts, error) == ("succeeded", 2, ""), output
    with zipfile.ZipFile(io.BytesIO((Path(settings.MEDIA_ROOT) / _result_file(queue, job.pk)).read_bytes())) as pack:
        assert pack.testzip() is None
        names = pack.namelist()
    _name, expected = build_portal_pack(pack_entry(entry.pk))  # the same pack built here, uninterrupted
    assert names == zipfile.ZipFile(io.BytesIO(expected)).namelist()
    assert sum(name.startswith("eviden/") for name in names) == len(rows)


def test_a_worker_killed_while_recomputing_stores_no_figure_and_the_retry_stores_all(
    world, db_tasks, tmp_path, assessment, admin
):
    other = open_assessment(world.other_region, world.other_admin)
    enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
    recompute_year(year=2026)
    true_figures = dict(Assessment.objects.values_list("pk", "claimed_iid"))
    assert set(true_figures) == {assessment.pk, other.pk}
    # Stored figures that the recomputation must replace: a marker no real computation gives.
    marker = Decimal("0.01")
    Assessment.objects.update(claimed_iid=marker)
    job = recompute_year_start(year=2026, actor=world.national_admin)
    queue = Queue(tmp_path, stale_seconds=STALE_SECONDS)

    def stored() -> dict:
        return {
            pk: Decimal(str(value)) for pk, value in queue.query("SELECT id, claimed_iid FROM assessment_assessment")
        }

    _killed(queue, kill_at="recompute_year:1")  # one region computed, nothing stored yet
    assert queue.jobs()[str(job.pk)][:2] == ("running", 1)
    assert stored() == dict.fromkeys(true_figures, marker)  # not one region half-updated

    output = _retried(queue)
    assert queue.jobs()[str(job.pk)] == ("succeeded", 2, ""), output
    assert stored() == true_figures

"""A real task worker killed with SIGKILL in the middle of saving an import: the import says
truthfully how many rows are saved, and the next worker resumes after the last committed batch,
so every row ends up saved exactly once."""

import io
import signal
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lumbung.core.imports import import_start
from lumbung.core.roles import Role
from lumbung.core.tests.realworkers import Queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS, BATCH, KILLED_AFTER = 30, 5, 10
STALE_SECONDS = 4


def _roster(names) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(["Nama", "Singkatan", "Jenis"])
    for name in names:
        workbook.active.append([name, "", "Badan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("unit-kerja.xlsx", buffer.getvalue())


def test_a_worker_killed_while_importing_leaves_a_true_count_and_the_next_one_finishes(
    world, db_tasks, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # where the worker processes read the upload
    admin = world.user(Role.ADMIN)
    names = [f"Badan Uji Pemulihan {number:02d}" for number in range(1, ROWS + 1)]
    batch = import_start(kind="units", region=world.region, actor=admin, uploaded=_roster(names))
    queue = Queue(tmp_path, stale_seconds=STALE_SECONDS)
    queue.env["LUMBUNG_IMPORT_BATCH_ROWS"] = str(BATCH)

    def state() -> tuple:
        return queue.query(
            "SELECT status, imported_count, applied_rows FROM core_importbatch WHERE id = %s", (batch.pk,)
        )[0]

    def saved() -> list[str]:
        found = queue.query(
            "SELECT name FROM organisation_unit WHERE region_id = %s AND name LIKE %s", (world.region.pk, "Badan Uji%")
        )
        return sorted(name for (name,) in found)

    queue.run("worker", "--no-reload", "--no-startup-delay", "--batch")  # reads the file: the preview
    assert state()[0] == "preview"
    queue.run(
        "shell", "-c",
        "from lumbung.core.imports import import_confirm; from lumbung.core.models import ImportBatch; "
        f"b = ImportBatch.objects.get(pk={batch.pk}); import_confirm(batch=b, mode='all', actor=b.created_by)",
    )  # fmt: skip

    worker = queue.worker(kill_at=f"import_apply:{KILLED_AFTER}")
    try:
        output = worker.communicate(timeout=180)[0]
    finally:
        worker.kill()
    assert worker.returncode == -signal.SIGKILL, output
    # Two batches committed before the worker died: the import says so, and they are there.
    assert state() == ("importing", KILLED_AFTER, KILLED_AFTER)
    assert saved() == names[:KILLED_AFTER]

    time.sleep(STALE_SECONDS + 1)
    output = queue.run("worker", "--no-reload", "--no-startup-delay", "--batch")  # reaps, then resumes
    assert state() == ("done", ROWS, ROWS), output
    assert saved() == names  # each row once

"""Imports save in short committed batches, say truthfully how far they got when the worker dies,
and can be resumed or stopped; files past the row limit are refused without being read whole."""

import io
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from lumbung.core import imports
from lumbung.core.imports import Column, Importer, import_cancel, import_confirm, import_resume, import_start
from lumbung.core.models import ImportBatch, ImportRow, Job
from lumbung.core.roles import Role
from lumbung.core.spreadsheets import SheetError, _collect_rows, read_sheet


class WorkerDiedError(Exception):
    """Stands for the worker process dying: not a row error, it ends the job."""


class CountingImporter(Importer):
    """Saves each row as a Job; "MATI" kills the worker while saving, "GAGAL" cannot be saved."""

    kind = "uji-batch"
    label = "Batch"
    columns = (Column("name", "Nama", (), True),)
    bulk_calls = 0

    def parse_row(self, values, result):
        result.cleaned["name"] = str(values.get("name") or "")
        if result.cleaned["name"] == "SALAH":
            result.errors.append("Nama: tidak boleh SALAH.")

    def save_row(self, cleaned):
        if cleaned["name"] == "GAGAL":
            raise ValidationError("Tidak bisa disimpan.")
        if cleaned["name"] == "MATI" and CountingImporter.dying:
            raise WorkerDiedError
        Job.objects.create(kind="uji-batch", label=cleaned["name"])

    def save_rows(self, rows):
        CountingImporter.bulk_calls += 1
        for cleaned in rows:
            self.save_row(cleaned)


@pytest.fixture(autouse=True)
def registered(settings):
    settings.LUMBUNG_IMPORT_BATCH_ROWS = 3
    CountingImporter.bulk_calls = 0
    CountingImporter.dying = True
    imports.register(CountingImporter)
    yield
    imports._REGISTRY.pop(CountingImporter.kind)


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


def _upload(names) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(["Nama"])
    for name in names:
        workbook.active.append([name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("batch.xlsx", buffer.getvalue())


def _start(world, admin, names) -> ImportBatch:
    batch = import_start(kind=CountingImporter.kind, region=world.region, actor=admin, uploaded=_upload(names))
    batch.refresh_from_db()
    return batch


def _saved() -> list[str]:
    return list(Job.objects.filter(kind="uji-batch").order_by("created_at").values_list("label", flat=True))


def test_rows_are_saved_in_batches_with_a_few_queries_each(world, admin):
    names = [f"Baris {n}" for n in range(1, 11)]
    batch = _start(world, admin, names)
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count, batch.applied_rows) == (ImportBatch.Status.DONE, 10, 10)
    assert _saved() == names
    assert CountingImporter.bulk_calls == 4  # 3 + 3 + 3 + 1 rows
    assert batch.job.result == {"imported": 10}


def test_a_dead_worker_leaves_a_true_count_and_the_import_resumes(world, admin):
    names = ["A", "B", "C", "D", "E", "MATI", "G", "H"]
    batch = _start(world, admin, names)
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    batch.refresh_from_db()
    # Two batches (A-C, D-F) ... the second died: only the first is saved, and the batch says so.
    assert _saved() == ["A", "B", "C"]
    assert (batch.status, batch.imported_count, batch.applied_rows) == (ImportBatch.Status.IMPORTING, 3, 3)
    assert batch.job.status == Job.Status.FAILED
    assert imports.import_is_stalled(batch)
    CountingImporter.dying = False  # the worker is back
    import_resume(batch=batch, actor=admin)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count) == (ImportBatch.Status.DONE, 8)
    assert _saved() == names  # nothing twice, nothing lost


def test_cancelling_a_stalled_import_says_how_many_rows_were_saved(client, world, admin):
    batch = _start(world, admin, ["A", "B", "C", "D", "MATI", "F", "G"])
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    client.force_login(admin)
    page = client.get(reverse("core:import-detail", args=[batch.pk])).content.decode()
    assert "3 baris sudah tersimpan" in page and "4 baris valid belum diimpor" in page
    response = client.post(reverse("core:import-cancel", args=[batch.pk]), follow=True)
    text = response.content.decode()
    assert "Impor dibatalkan; tidak ada data yang disimpan" not in text
    assert "3 baris sudah tersimpan dan tetap ada; 4 baris berikutnya tidak diimpor" in text
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count) == (ImportBatch.Status.CANCELLED, 3)
    with pytest.raises(ValidationError):
        import_resume(batch=batch, actor=admin)


def test_a_running_import_without_progress_for_long_is_stalled(world, admin):
    batch = _start(world, admin, ["A"])
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING, progress_at=timezone.now())
    Job.objects.filter(pk=batch.job_id).update(status=Job.Status.RUNNING)
    batch.refresh_from_db()
    assert not imports.import_is_stalled(batch)
    with pytest.raises(ValidationError):
        import_resume(batch=batch, actor=admin)  # still running: not to be started twice
    ImportBatch.objects.filter(pk=batch.pk).update(progress_at=timezone.now() - imports.STALL_AFTER * 2)
    batch.refresh_from_db()
    assert imports.import_is_stalled(batch)


def test_a_worker_whose_import_was_taken_away_saves_nothing_more(world, admin):
    batch = _start(world, admin, ["A", "B"])
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING, mode="all")
    old_job = batch.job_id  # the parse job stands for a worker that lost the batch
    ImportBatch.objects.filter(pk=batch.pk).update(job=Job.objects.create(kind="x", label="x"))
    imports.apply_import.call(job_id=str(old_job), batch_id=batch.pk)
    assert _saved() == []


def test_all_rows_mode_stopping_after_saved_batches_says_so(world, admin):
    batch = _start(world, admin, ["A", "B", "C", "GAGAL", "E"])
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STOPPED and batch.imported_count == 3
    assert batch.rows[3]["errors"] == ["Tidak bisa disimpan."]
    assert _saved() == ["A", "B", "C"]
    import_resume(batch=batch, actor=admin)  # goes on with the valid rows
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count, batch.error_count) == (ImportBatch.Status.DONE, 4, 1)
    assert _saved() == ["A", "B", "C", "E"]


def test_valid_only_mode_finds_the_failing_row_inside_a_batch(world, admin):
    batch = _start(world, admin, ["A", "GAGAL", "C", "D"])
    import_confirm(batch=batch, mode=ImportBatch.Mode.VALID_ONLY, actor=admin)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count, batch.error_count) == (ImportBatch.Status.DONE, 3, 1)
    assert _saved() == ["A", "C", "D"]


def test_cancelling_a_preview_still_saves_nothing(world, admin):
    batch = _start(world, admin, ["A"])
    assert import_cancel(batch=batch) == "Impor dibatalkan; tidak ada data yang disimpan."
    with pytest.raises(ValidationError):
        import_cancel(batch=batch)


def test_a_file_over_the_row_limit_is_refused_with_a_message(world, admin, settings):
    settings.LUMBUNG_IMPORT_MAX_ROWS = 5
    batch = _start(world, admin, [f"Baris {n}" for n in range(6)])
    assert batch.status == ImportBatch.Status.FAILED
    assert "lebih dari 5 baris data" in batch.file_errors[0]
    assert batch.rows == []
    assert _start(world, admin, [f"Baris {n}" for n in range(5)]).status == ImportBatch.Status.PREVIEW


class EndlessSheet:
    """A sheet of a million rows and more, counting how many were read."""

    def __init__(self):
        self.read = 0

    def iter_rows(self, min_row=1, max_row=None, values_only=True):
        for number in itertools.count(min_row):
            self.read += 1
            yield (f"Baris {number}",)


def test_reading_stops_at_the_limit_without_reading_the_rest():
    sheet = EndlessSheet()
    with pytest.raises(SheetError, match="lebih dari 1.000 baris"):
        _collect_rows(sheet, 1, {0: "name"}, [], max_rows=1000)
    assert sheet.read == 1001


def test_a_long_run_of_empty_rows_ends_the_data():
    class Blank(EndlessSheet):
        def iter_rows(self, min_row=1, max_row=None, values_only=True):
            yield ("Satu",)
            for _ in itertools.count():
                self.read += 1
                yield (None,)

    sheet = Blank()
    assert [values for _n, values in _collect_rows(sheet, 1, {0: "name"}, []).rows] == [{"name": "Satu"}]
    assert sheet.read == 10_000


def test_a_csv_file_over_the_limit_is_refused():
    data = "Nama\n" + "".join(f"Baris {n}\n" for n in range(50))
    with pytest.raises(SheetError, match="lebih dari 10 baris"):
        read_sheet(io.BytesIO(data.encode()), {"name": ("Nama",)}, kind="csv", max_rows=10)


def test_the_preview_is_paginated_with_problem_rows_first(client, world, admin):
    names = [f"Baris {n:03}" for n in range(1, 251)]
    names[200] = "SALAH"  # one problem row, near the end of the file
    batch = _start(world, admin, names)
    client.force_login(admin)
    url = reverse("core:import-detail", args=[batch.pk])
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url).content.decode()
    assert "Nama: tidak boleh SALAH." in first  # on the first page although it is row 202
    assert first.count('class="row-ok"') == 99 and "Baris 100" not in first
    last = client.get(url, {"page": 3}).content.decode()
    assert "Baris 250" in last and last.count('class="row-ok"') == 50
    with CaptureQueriesContext(connection) as later_queries:
        client.get(url, {"page": 2})
    assert len(later_queries) == len(first_queries)


def test_the_reaper_running_the_same_job_again_resumes_after_the_last_batch(world, admin):
    names = ["A", "B", "C", "D", "MATI", "F", "G"]
    batch = _start(world, admin, names)
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    batch.refresh_from_db()
    assert batch.imported_count == 3
    CountingImporter.dying = False
    # What the reaper does for a job started with retries: the same task, the same job id.
    Job.objects.filter(pk=batch.job_id).update(status=Job.Status.QUEUED)
    imports.apply_import.call(job_id=str(batch.job_id), batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count) == (ImportBatch.Status.DONE, 7)
    assert _saved() == names


def test_reading_again_leaves_a_read_preview_alone(world, admin):
    batch = _start(world, admin, ["A", "B"])
    ImportRow.objects.filter(batch=batch, index=1).delete()
    imports.parse_import.call(job_id=str(batch.job_id), batch_id=batch.pk)
    batch.refresh_from_db()
    assert len(batch.rows) == 1 and batch.status == ImportBatch.Status.PREVIEW

"""The generic import flow (core.imports) with a small importer declared here: it saves each row
as a Job, so the core can be tested without any domain app."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from lumbung.core import imports
from lumbung.core.imports import Column, Importer, import_confirm, import_start
from lumbung.core.models import ImportBatch, Job
from lumbung.core.roles import Role
from lumbung.core.spreadsheets import parse_integer


class StepImporter(Importer):
    kind = "uji-langkah"
    label = "Langkah"
    columns = (Column("name", "Nama", ("Judul",), True), Column("steps", "Langkah", (), False))

    def parse_row(self, values, result):
        result.cleaned["name"] = str(values.get("name") or "")
        result.cleaned["steps"] = result.check(
            self.columns[1], lambda v: parse_integer(v, minimum=1), values.get("steps")
        )
        if not result.cleaned["name"]:
            result.errors.append("Nama: wajib diisi.")

    def save_row(self, cleaned):
        if cleaned["name"] == "GAGAL":
            raise ValidationError("Tidak bisa disimpan.")
        Job.objects.create(kind="uji", label=cleaned["name"], total=cleaned["steps"] or 0)


@pytest.fixture(autouse=True)
def registered():
    imports.register(StepImporter)
    yield
    imports._REGISTRY.pop(StepImporter.kind)


def _upload(*rows) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(["Nama", "Langkah"])
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("langkah.xlsx", buffer.getvalue())


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


def _start(world, admin, *rows) -> ImportBatch:
    batch = import_start(kind=StepImporter.kind, region=world.region, actor=admin, uploaded=_upload(*rows))
    batch.refresh_from_db()
    return batch


def _imported() -> list[str]:
    return sorted(Job.objects.filter(kind="uji").values_list("label", flat=True))


def test_a_clean_file_is_imported_whole(world, admin):
    batch = _start(world, admin, ["Satu", 1], ["Dua", 2])
    assert (batch.status, batch.valid_count, batch.error_count) == (ImportBatch.Status.PREVIEW, 2, 0)
    assert _imported() == []  # nothing before the admin confirms
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count) == (ImportBatch.Status.DONE, 2)
    assert _imported() == ["Dua", "Satu"]


def test_rows_with_errors_block_all_rows_but_not_the_valid_ones(world, admin):
    batch = _start(world, admin, ["Satu", 1], ["", 2], ["Tiga", "nol"])
    assert [row["errors"] for row in batch.rows] == [
        [],
        ["Nama: wajib diisi."],
        ["Langkah: 'nol' bukan bilangan bulat."],
    ]
    with pytest.raises(ValidationError):
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    import_confirm(batch=batch, mode=ImportBatch.Mode.VALID_ONLY, actor=admin)
    assert _imported() == ["Satu"]
    with pytest.raises(ValidationError, match="sudah diproses"):
        import_confirm(batch=batch, mode=ImportBatch.Mode.VALID_ONLY, actor=admin)


def test_all_rows_are_all_or_nothing_when_saving_fails(world, admin):
    batch = _start(world, admin, ["Satu", 1], ["GAGAL", 2])
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    batch.refresh_from_db()
    assert (batch.status, batch.error_count, batch.imported_count) == (ImportBatch.Status.PREVIEW, 1, 0)
    assert batch.rows[1]["errors"] == ["Tidak bisa disimpan."]
    assert _imported() == []


def test_valid_rows_mode_keeps_each_good_row_when_one_fails_at_saving(world, admin):
    batch = _start(world, admin, ["Satu", 1], ["GAGAL", 2], ["Tiga", 3])
    import_confirm(batch=batch, mode=ImportBatch.Mode.VALID_ONLY, actor=admin)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count) == (ImportBatch.Status.DONE, 2)
    assert _imported() == ["Satu", "Tiga"]


def test_an_empty_sheet_says_so(world, admin):
    batch = _start(world, admin)
    assert "Tidak ada baris data" in batch.file_errors[0]


def test_only_admins_may_import(world):
    with pytest.raises(PermissionDenied):
        import_start(
            kind=StepImporter.kind, region=world.region, actor=world.user(Role.VERIFIER), uploaded=_upload(["X", 1])
        )


def test_cancelling_a_preview_saves_nothing(client, world, admin):
    batch = _start(world, admin, ["Satu", 1])
    client.force_login(admin)
    response = client.post(reverse("core:import-cancel", args=[batch.pk]), follow=True)
    assert "tidak ada data yang disimpan" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    client.post(reverse("core:import-confirm", args=[batch.pk]), {"mode": "all"})
    assert _imported() == []


def test_an_unknown_kind_is_not_found(client, admin):
    client.force_login(admin)
    assert client.get(reverse("core:import-upload", args=["tidak-ada"])).status_code == 404

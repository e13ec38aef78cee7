"""A catalogue import that would change an entry already on file shows each change (old -> new)
and makes it only when the admin accepts the changes; a preview never says "valid" and then
silently replaces what was there."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lumbung.core.imports import import_confirm, import_start
from lumbung.core.models import ImportBatch
from lumbung.core.roles import Role
from lumbung.core.spreadsheets import build_workbook
from tests.factories import RegionFactory

from .factories import CatalogueItemFactory

HEADER = ["Nama inovasi", "Pemda asal", "Tahun", "Ringkasan", "Penghargaan"]


@pytest.fixture
def surabaya(db):
    return RegionFactory(code="35.78", name="Kota Surabaya")


@pytest.fixture
def entry(world, surabaya):
    return CatalogueItemFactory(
        region=world.region, source_region=surabaya, name="E-Sapa Warga", year=2015, summary="Aduan warga lewat SMS."
    )


def _preview(world, *rows) -> ImportBatch:
    workbook = build_workbook([("Katalog", HEADER, list(rows))])
    batch = import_start(
        kind="replication_catalogue",
        region=world.region,
        actor=world.user(Role.ADMIN),
        uploaded=SimpleUploadedFile("katalog.xlsx", workbook),
    )
    batch.refresh_from_db()
    return batch


def test_a_changed_summary_is_shown_old_to_new_and_waits_for_consent(world, entry):
    batch = _preview(world, ["E-Sapa Warga", "Kota Surabaya", 2015, "Aduan warga lewat aplikasi.", ""])
    assert (batch.error_count, batch.valid_count, batch.change_count) == (0, 1, 1)
    row = batch.rows[0]
    assert row["changes"] == [
        {"field": "Ringkasan", "old": "Aduan warga lewat SMS.", "new": "Aduan warga lewat aplikasi."}
    ]
    assert row["outcome"] == "Mengubah entri katalog yang sudah ada."
    with pytest.raises(ValidationError, match="Terapkan perubahan"):
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=world.user(Role.ADMIN))
    entry.refresh_from_db()
    assert entry.summary == "Aduan warga lewat SMS."
    import_confirm(
        batch=batch, mode=ImportBatch.Mode.ALL, actor=world.user(Role.ADMIN), options={"apply_changes": True}
    )
    entry.refresh_from_db()
    assert entry.summary == "Aduan warga lewat aplikasi."


def test_without_consent_only_the_new_entries_are_imported(world, entry, surabaya):
    batch = _preview(
        world,
        ["E-Sapa Warga", "Kota Surabaya", 2020, "", ""],
        ["Surabaya Single Window", "Kota Surabaya", 2018, "Perizinan satu pintu.", ""],
    )
    assert (batch.valid_count, batch.change_count) == (2, 1)
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=world.user(Role.ADMIN), options={})
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count) == (ImportBatch.Status.DONE, 1)
    entry.refresh_from_db()
    assert entry.year == 2015  # the change was not accepted


def test_an_empty_cell_keeps_what_is_on_file_and_a_same_row_changes_nothing(world, entry):
    batch = _preview(world, ["E-Sapa Warga", "Kota Surabaya", 2015, "", ""])
    assert (batch.valid_count, batch.change_count) == (1, 0)
    assert batch.rows[0]["outcome"] == "Tidak berubah: entri ini sudah ada."
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=world.user(Role.ADMIN))
    entry.refresh_from_db()
    assert (entry.summary, entry.year) == ("Aduan warga lewat SMS.", 2015)


def test_the_preview_page_shows_the_change_and_asks(client, world, entry):
    batch = _preview(world, ["E-Sapa Warga", "Kota Surabaya", 2016, "", "Top 99 KIPP 2016"])
    client.force_login(world.user(Role.ADMIN))
    page = client.get(reverse("core:import-detail", args=[batch.pk])).content.decode()
    assert "<del>2015</del> → <ins>2016</ins>" in page
    assert "<del>—</del> → <ins>Top 99 KIPP 2016</ins>" in page
    assert 'name="apply_changes"' in page
    response = client.post(
        reverse("core:import-confirm", args=[batch.pk]), {"mode": "all", "apply_changes": "1"}, follow=True
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.year, entry.award) == (2016, "Top 99 KIPP 2016")

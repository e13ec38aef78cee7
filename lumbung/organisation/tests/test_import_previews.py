"""The officials import preview: the template's example row is recognised and never imported, a
post that would get a second holder is warned about with the choice to end the current holder's
assignment, each error sits beside the cell it concerns, and a page reads only its own rows."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lumbung.core.imports import import_confirm, import_start
from lumbung.core.models import ImportBatch, ImportRow
from lumbung.core.roles import Role
from lumbung.core.spreadsheets import XLSX_CONTENT_TYPE
from lumbung.organisation.models import Assignment, Echelon, Official

from .factories import AssignmentFactory, OfficialFactory, make_nip, sheet_upload

HEADERS = ["NIP", "Nama", "Jabatan", "Eselon", "Perangkat Daerah", "TMT Jabatan"]


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


@pytest.fixture
def camat(world):
    """The current Camat, in office since 2021."""
    official = OfficialFactory(region=world.region, name="Hendra Gunawan", nip=make_nip(901))
    AssignmentFactory(
        official=official, unit=world.unit, position="Camat Suoh", echelon=Echelon.III_A, start_date=dt.date(2021, 2, 1)
    )
    return official


def _preview(world, admin, rows, headers=HEADERS) -> ImportBatch:
    upload = sheet_upload(headers, rows, text_columns={"NIP"})
    batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=upload)
    batch.refresh_from_db()
    return batch


def test_the_templates_example_row_is_marked_and_never_imported(client, world, admin):
    client.force_login(admin)
    template = load_workbook(io.BytesIO(client.get(reverse("core:import-template", args=["officials"])).content))
    assert "contoh" in template.worksheets[1]["A2"].value  # the template says so itself
    sheet = template.active
    sheet.append([make_nip(902), "Rina Marlina", "Kepala Seksi", "IV.a", "Diskominfo", "05-01-2026"])
    sheet.cell(row=sheet.max_row, column=1).data_type = "s"
    buffer = io.BytesIO()
    template.save(buffer)
    upload = SimpleUploadedFile("templat-officials.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=upload)
    batch.refresh_from_db()
    assert (batch.row_count, batch.example_count, batch.valid_count, batch.error_count) == (2, 1, 1, 0)
    example = ImportRow.objects.get(batch=batch, is_example=True)
    assert example.number == 2 and example.outcome == "Baris contoh dari templat: tidak diimpor."
    page = client.get(reverse("core:import-detail", args=[batch.pk])).content.decode()
    assert 'class="row-example"' in page and "Contoh" in page
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    batch.refresh_from_db()
    assert batch.imported_count == 1
    assert not Official.objects.filter(name__startswith="Ahmad Saputra").exists()
    assert Official.objects.filter(name="Rina Marlina").exists()


def test_a_second_holder_of_a_post_is_warned_and_the_current_holder_may_be_ended(world, admin, camat):
    batch = _preview(world, admin, [[make_nip(903), "Yuliani", "Camat Suoh", "III.a", "Diskominfo", "01-03-2026"]])
    assert (batch.valid_count, batch.warning_count, batch.error_count) == (1, 1, 0)
    (warning,) = batch.rows[0]["warnings"]
    assert "masih dipegang Hendra Gunawan (TMT 01-02-2021)" in warning and "per 28-02-2026" in warning
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin, options={"end_holders": True})
    held = Assignment.objects.get(official=camat)
    assert held.end_date == dt.date(2026, 2, 28)
    assert Assignment.objects.filter(position="Camat Suoh", end_date__isnull=True).get().official.name == "Yuliani"
    assert held.history.latest().history_change_reason == "Diganti pemegang baru lewat impor daftar pejabat."


def test_without_the_choice_both_stay_in_office_as_the_preview_said(world, admin, camat):
    batch = _preview(world, admin, [[make_nip(903), "Yuliani", "Camat Suoh", "III.a", "Diskominfo", "01-03-2026"]])
    import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
    assert Assignment.objects.filter(position="Camat Suoh", end_date__isnull=True).count() == 2


def test_two_rows_giving_one_post_are_warned_and_the_page_offers_the_choice(client, world, admin):
    batch = _preview(
        world,
        admin,
        [
            [make_nip(904), "Andi", "Sekretaris Camat", "III.b", "Diskominfo", "01-03-2026"],
            [make_nip(905), "Budi", "sekretaris camat", "III.b", "Diskominfo", "01-03-2026"],
        ],
    )
    assert batch.rows[1]["warnings"] == ["Jabatan yang sama juga diberikan di baris 2 berkas ini."]
    client.force_login(admin)
    page = client.get(reverse("core:import-detail", args=[batch.pk])).content.decode()
    assert 'name="end_holders"' in page and "row-attention" in page


def test_an_error_sits_beside_its_cell_and_the_result_comes_first(client, world, admin):
    batch = _preview(
        world,
        admin,
        [
            [make_nip(906), "Citra", "Kepala Seksi", "IV.a", "Diskominfo", "01-03-2026"],
            [make_nip(907), "Dewi", "Kepala Seksi", "eselon dua", "Dinas Fiktif", "01-03-2026"],
        ],
    )
    bad = ImportRow.objects.get(batch=batch, number=3)
    assert set(bad.cell_errors) == {"echelon", "unit"}
    assert bad.rank == ImportRow.Rank.ERROR
    client.force_login(admin)
    page = client.get(reverse("core:import-detail", args=[batch.pk])).content.decode()
    header = page[page.index("<thead>") : page.index("</thead>")]
    assert header.index("Hasil pemeriksaan") < header.index("NIP")
    # Problem rows first, with each message in the cell it concerns.
    assert page.index(">Dewi<") < page.index(">Citra<")
    assert '<td data-label="Perangkat Daerah" class="cell-error">Dinas Fiktif<span class="cell-message">' in page


def test_a_preview_page_reads_only_its_rows(client, world, admin, django_assert_max_num_queries):
    rows = [[make_nip(1000 + n), f"Pegawai {n}", "Staf", "Non-eselon", "Diskominfo", "01-03-2026"] for n in range(230)]
    batch = _preview(world, admin, rows)
    assert batch.row_count == 230
    client.force_login(admin)
    url = reverse("core:import-detail", args=[batch.pk])
    client.get(url)  # the first request reads the session and the user; the next ones keep them
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    with django_assert_max_num_queries(20) as third:
        response = client.get(url, {"page": 3})
    assert len(third) == len(first)
    assert response.content.decode().count('class="row-ok"') == 30
    row_queries = [query["sql"] for query in third.captured_queries if "core_importrow" in query["sql"]]
    assert row_queries and all("LIMIT" in sql or "COUNT" in sql for sql in row_queries)

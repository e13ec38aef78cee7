"""The streamed exports write what the old in-memory ones wrote (compared with legacy_exports), and
no cell of any export, title rows included, becomes a live formula."""

import datetime as dt
import io

from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from lumbung.core.spreadsheets import build_workbook, csv_chunks, csv_response, csv_streaming_response

from . import legacy_exports

HEADERS = ["ID", gettext_lazy("Nama"), "Tanggal", "Jumlah", "Catatan"]
ROWS = [
    [1, "Dinas Pemberdayaan Masyarakat dan Pekon", dt.date(2024, 8, 17), 12, None],
    [2, "=1+1", dt.datetime(2024, 1, 2, 9, 30), 0, "+62 812"],
    [3, "-kurang", None, 3.5, "@SUM(A1)"],
    [4, "teks panjang " * 20, dt.date(2023, 12, 31), -4, "#N/A"],
    [5, "\tTab", "", True, "baris\nbaru"],
]


def _cells(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    sheets = []
    for sheet in workbook.worksheets:
        cells = [
            [(cell.value, cell.data_type, cell.number_format, bool(cell.font.b)) for cell in row]
            for row in sheet.iter_rows()
        ]
        widths = {key: dimension.width for key, dimension in sheet.column_dimensions.items() if dimension.width}
        sheets.append((sheet.title, cells, widths, sheet.freeze_panes))
    return sheets


def test_the_streamed_workbook_has_the_cells_of_the_old_one():
    sheets = [("Inovasi/ASN", HEADERS, ROWS), ("Kedua", ["A"], [["x"], [dt.date(2020, 1, 1)]])]
    new = _cells(build_workbook(sheets, title="Daftar inovasi Lampung Barat"))
    old = _cells(legacy_exports.build_workbook(sheets, title="Daftar inovasi Lampung Barat"))
    assert new == old
    assert new[0][1][3][1] == ("'=1+1", "s", "General", False)  # data rows were and stay neutralised


def test_the_streamed_workbook_without_a_title_matches_too():
    assert _cells(build_workbook([("Data", HEADERS, iter(ROWS))])) == _cells(
        legacy_exports.build_workbook([("Data", HEADERS, ROWS)])
    )


def test_a_title_or_header_that_looks_like_a_formula_stays_text():
    title = '=HYPERLINK("http://evil.test/ev","Klik")'
    data = build_workbook([("Peserta", ["=cmd|' /C calc'!A0", "Nama"], [["a", "b"]])], title=title)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "'" + title and sheet["A1"].data_type == "s"
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    # What the old builder did, for the record: the title became a live formula.
    old = load_workbook(io.BytesIO(legacy_exports.build_workbook([("P", ["Nama"], [])], title=title))).active
    assert old["A1"].data_type == "f"


def test_the_streamed_csv_has_the_bytes_of_the_old_one():
    expected = legacy_exports.csv_bytes(HEADERS, ROWS)
    response = csv_streaming_response("data.csv", HEADERS, iter(ROWS))
    assert b"".join(response.streaming_content) == expected
    assert csv_response("data.csv", HEADERS, ROWS).content == expected
    assert response["Content-Disposition"] == 'attachment; filename="data.csv"'


def test_csv_chunks_are_bounded():
    rows = ([n, f"Baris {n}"] for n in range(1000))
    chunks = list(csv_chunks(["ID", "Nama"], rows, rows_per_chunk=100))
    assert len(chunks) == 11  # the header, then ten chunks of a hundred rows
    assert max(chunk.count("\n") for chunk in chunks) == 100


def test_the_participants_export_of_an_event_titled_like_a_formula_has_no_live_formula(client, world):
    from django.urls import reverse

    from lumbung.core.roles import Role
    from lumbung.events.tests.factories import EventFactory, RegistrationFactory

    title = '=HYPERLINK("http://evil.test/ev","Klik")'
    event = EventFactory(region=world.region, title=title)
    RegistrationFactory(event=event, name="@Budi", phone="=cmd|' /C calc'!A0")
    client.force_login(world.user(Role.ADMIN))
    response = client.get(reverse("events:participants-export", args=[event.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert sheet["A1"].value == "'" + title
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert all(not str(cell.value).startswith(("=", "@")) for cell in cells)

import datetime as dt
import io

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from lumbung.core.spreadsheets import (
    CellError,
    SheetError,
    build_workbook,
    clean_text,
    csv_response,
    parse_date,
    parse_integer,
    parse_yes_no,
    read_sheet,
)

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


@pytest.mark.parametrize(
    "typed",
    ["17-08-2023", "17/08/2023", "17.08.2023", "17 - 8 - 2023", "2023-08-17", "2023-08-17 00:00:00", "17 Agustus 2023",
     "17 agt 2023", "17-Agu-2023", "17 AGUSTUS 2023.", dt.date(2023, 8, 17), dt.datetime(2023, 8, 17, 9, 30), 45155],
)  # fmt: skip
def test_dates_as_indonesian_offices_type_them(typed):
    assert parse_date(typed) == dt.date(2023, 8, 17)


@pytest.mark.parametrize("typed", ["08/17/2023", "31-02-2023", "17 Agustos 2023", "kemarin", 17.5, 99])
def test_what_is_not_a_date_is_refused(typed):
    with pytest.raises(CellError):
        parse_date(typed)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_written_form_of_a_date_reads_back_as_that_date(day):
    written = [
        f"{day:%d-%m-%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        day.isoformat(),
    ]
    assert {parse_date(text) for text in written} == {day}
    assert parse_date((day - dt.date(1899, 12, 30)).days) == day  # Excel's serial number


def test_empty_cells_are_no_date():
    assert parse_date(None) is None and parse_date("  ") is None


def test_text_is_cleaned_of_the_spaces_excel_hides():
    assert clean_text("\u00a0 Dinas\tKesehatan \u200b\n ") == "Dinas Kesehatan"
    assert clean_text(12.0) == "12" and clean_text(None) == ""


@pytest.mark.parametrize(("typed", "number"), [("1.234", 1234), (12.0, 12), (" 7 ", 7), ("", None)])
def test_whole_numbers_with_indonesian_grouping(typed, number):
    assert parse_integer(typed) == number


def test_numbers_below_the_minimum_are_refused():
    with pytest.raises(CellError, match="terlalu kecil"):
        parse_integer("-3", minimum=0)


@pytest.mark.parametrize(
    ("typed", "value"), [("Ya", True), ("tidak", False), ("Digital", True), ("-", None), ("", None)]
)
def test_yes_and_no(typed, value):
    assert parse_yes_no(typed) is value


def _workbook(*rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    workbook.active.merge_cells("A1:C1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


COLUMNS = {"name": ("Nama", "Nama OPD"), "kind": ("Jenis",), "code": ("Kode",)}


def test_the_header_is_found_below_merged_titles_and_empty_rows_are_dropped():
    source = _workbook(
        ["DAFTAR OPD"],
        [],
        ["  NAMA  OPD ", "Jenis", "Catatan"],
        ["Dinas Sosial", "Dinas", "x"],
        [None, None, None],
        ["BPBD", "Badan", None],
    )
    sheet = read_sheet(source, COLUMNS, required=["name"])
    assert sheet.header_row == 3
    assert sheet.rows == [(4, {"name": "Dinas Sosial", "kind": "Dinas"}), (6, {"name": "BPBD", "kind": "Badan"})]
    assert sheet.unknown_headers == ["Catatan"]


def test_a_file_that_is_not_a_workbook_or_lacks_the_header_is_refused():
    with pytest.raises(SheetError, match="tidak dapat dibaca"):
        read_sheet(io.BytesIO(b"bukan excel"), COLUMNS)
    with pytest.raises(SheetError, match="Nama"):
        read_sheet(_workbook(["Judul"], ["Kolom lain"]), {"name": (gettext_lazy("Nama"),)}, required=["name"])


def test_exports_keep_formulas_as_text_and_dates_as_dates():
    data = build_workbook(
        [
            (
                "Pejabat/ASN [2026]",
                [gettext_lazy("Nama"), "TMT"],
                [['=HYPERLINK("http://x")', dt.date(2024, 1, 2)], ["@SUM(A1)", None]],
            )
        ],
        title="Daftar",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Pejabat-ASN -2026-"
    assert [cell.value for cell in sheet[2]] == ["Nama", "TMT"]
    assert sheet["A3"].value == '\'=HYPERLINK("http://x")' and sheet["A3"].data_type == "s"
    assert sheet["A4"].value == "'@SUM(A1)"
    assert sheet["B3"].number_format == "DD-MM-YYYY"


def test_csv_exports_open_in_excel_with_indonesian_text():
    response = csv_response("data.csv", ["Nama"], [["Dinas Pemberdayaan Masyarakat dan Pekon"], ["=1+1"]])
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffNama")
    assert "'=1+1" in text

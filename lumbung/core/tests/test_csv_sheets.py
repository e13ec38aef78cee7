"""CSV uploads for importers that accept them (core.files kind "csv", read_sheet(kind="csv"))."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lumbung.core.files import inspect_upload
from lumbung.core.spreadsheets import SheetError, read_sheet

COLUMNS = {"name": ("Nama inovasi",), "region": ("Pemda",), "digital": ("Digital",)}


def test_it_reads_a_semicolon_file_in_the_windows_code_page_below_a_title():
    data = "Daftar inovasi\n\nNama inovasi;Pemda;Digital\nSmart Kampung;Kabupaten Banyuwangi, Jatim;Ya\n;;\n"
    sheet = read_sheet(io.BytesIO(data.encode("cp1252")), COLUMNS, required=["name"], kind="csv")
    assert sheet.header_row == 3
    assert sheet.rows == [(4, {"name": "Smart Kampung", "region": "Kabupaten Banyuwangi, Jatim", "digital": "Ya"})]


def test_it_reads_a_comma_file_in_utf8_with_bom_and_quoted_commas():
    data = '\ufeffNama inovasi,Pemda,Digital\n"Laku Pandai, Desa",Kabupaten Wonogiri,Tidak\n'
    sheet = read_sheet(io.BytesIO(data.encode("utf-8")), COLUMNS, required=["name"], kind="csv")
    assert sheet.rows == [(2, {"name": "Laku Pandai, Desa", "region": "Kabupaten Wonogiri", "digital": "Tidak"})]


def test_a_csv_without_the_header_is_refused_in_indonesian():
    with pytest.raises(SheetError, match="Baris judul kolom tidak ditemukan"):
        read_sheet(io.BytesIO(b"a;b\n1;2\n"), COLUMNS, required=["name"], kind="csv")


def test_inspect_upload_accepts_text_and_refuses_binary_named_csv():
    info = inspect_upload(SimpleUploadedFile("daftar.csv", b"Nama inovasi;Pemda\nA;B\n"), kinds=("excel", "csv"))
    assert (info.kind, info.content_type) == ("csv", "text/csv")
    with pytest.raises(ValidationError):
        inspect_upload(SimpleUploadedFile("daftar.csv", b"%PDF-1.4\n%%EOF"), kinds=("csv",))
    with pytest.raises(ValidationError):
        inspect_upload(SimpleUploadedFile("daftar.csv", b"Nama\x00\x01"), kinds=("csv",))

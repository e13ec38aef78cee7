"""Bulk import from Excel (preview, row errors, malformed files) and the printable profile."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from pypdf import PdfReader

from lumbung.core.models import ImportBatch
from lumbung.innovations.models import Innovation, InnovationEvent

from .factories import InnovationFactory

HEADERS = [
    "Nama inovasi",
    "OPD",
    "Tahapan",
    "Inisiator",
    "Jenis",
    "Bentuk",
    "Urusan utama",
    "Waktu uji coba",
    "Waktu penerapan",
]


def workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["DAFTAR INOVASI PERANGKAT DAERAH 2026"])  # a title row above the header
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("inovasi.xlsx", buffer.getvalue())


def admin_client(world) -> Client:
    client = Client()
    client.force_login(world.user("admin"))
    return client


@pytest.mark.django_db
def test_import_previews_row_errors_and_saves_valid_rows(world, reference_data):
    InnovationFactory(region=world.region, unit=world.unit, name="E-Office Lambar")
    rows = [
        [
            "Pasar Kopi Daring",
            "Diskominfo",
            "Penerapan",
            "OPD",
            "Digital",
            "Pelayanan publik",
            "pertanian",
            "01-02-2024",
            "17 Agustus 2024",
        ],
        ["E-Office Lambar", "DU-tidak-ada", "Tahap 9", "OPD", "Digital", "Tata kelola", "kominfo", None, None],
        ["Posyandu Remaja", "Dinkes", "Uji coba", "ASN", "", "Pelayanan publik", "Kesehatan", "2024-13-40", None],
    ]
    admin = admin_client(world)
    response = admin.post(reverse("core:import-upload", args=["innovations"]), {"file": workbook(rows)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportBatch.Status.PREVIEW
    errors = {row["row"]: row["errors"] for row in batch.rows}
    assert errors[3] == []
    assert any("sudah terdaftar" in e for e in errors[4]) and any("perangkat daerah" in e for e in errors[4])
    assert any("tahapan" in e for e in errors[4])
    assert any("Jenis" in e for e in errors[5]) and any("bukan tanggal" in e for e in errors[5])
    assert Innovation.objects.count() == 1  # nothing saved before confirmation
    admin.post(reverse("core:import-confirm", args=[batch.pk]), {"mode": "valid_only"})
    imported = Innovation.objects.get(name="Pasar Kopi Daring")
    assert imported.unit == world.unit and imported.status == Innovation.Status.DRAFT
    assert str(imported.implementation_date) == "2024-08-17" and imported.main_affair.code == "pertanian"
    assert not imported.team.exists()  # the importing admin does not join the team
    assert InnovationEvent.objects.get(innovation=imported).action == "import"


@pytest.mark.django_db
def test_a_malformed_or_disguised_workbook_is_explained(world, reference_data):
    admin = admin_client(world)
    fake = SimpleUploadedFile("inovasi.xlsx", b"PK\x03\x04 bukan excel sungguhan")
    response = admin.post(reverse("core:import-upload", args=["innovations"]), {"file": fake})
    assert response.status_code == 200 and "rusak atau bukan Excel" in response.content.decode()
    book = Workbook()
    book.active.append(["kolom", "lain"])
    buffer = io.BytesIO()
    book.save(buffer)
    admin.post(
        reverse("core:import-upload", args=["innovations"]), {"file": SimpleUploadedFile("x.xlsx", buffer.getvalue())}
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED and "Baris judul kolom tidak ditemukan" in batch.file_errors[0]


@pytest.mark.django_db
def test_printable_profile_in_html_and_pdf(world, reference_data):
    innovation = InnovationFactory(
        region=world.region, unit=world.unit, name="Sekolah Lapang Kopi", owner=world.official
    )
    admin = admin_client(world)
    page = admin.get(reverse("innovations:print", args=[innovation.pk])).content.decode()
    for heading in ("1.1", "1.10", "2.6", "3.3", "PROFIL INOVASI DAERAH", "KABUPATEN LAMPUNG BARAT", "LOGO PEMDA"):
        assert heading in page
    response = admin.get(reverse("innovations:pdf", args=[innovation.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Sekolah Lapang Kopi" in text and "Rancang Bangun" in text and world.official.name in text
    assert world.official.nip not in text

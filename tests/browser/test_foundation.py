"""The foundation's journeys in Chromium: an admin signs in, adds a unit, imports officials from
an Excel file with one bad row, and switches the interface to English and back."""

import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.core.roles import Role
from lumbung.organisation.models import Official, Unit
from tests.factories import make_nip
from tests.world import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, live_server):
    return build_world()


@pytest.fixture
def admin_page(page, world):
    sign_in(page, world.user(Role.ADMIN).email)
    return page


def test_admin_adds_a_unit_after_a_mistake(admin_page, world):
    page = admin_page
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Organisasi").click()
    page.get_by_role("link", name="Tambah perangkat daerah").click()
    page.get_by_label("Singkatan").fill("Dispar")
    page.get_by_label("Jenis").select_option(label="Dinas")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert")).to_contain_text("tidak boleh kosong")
    expect(page.get_by_label("Singkatan")).to_have_value("Dispar")  # nothing typed is lost
    page.get_by_label(re.compile(r"^Nama")).fill("Dinas Pariwisata")
    page.get_by_label("Induk").select_option(label=world.unit.display_name)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dinas Pariwisata")
    expect(page.get_by_role("status")).to_contain_text("Dinas Pariwisata ditambahkan.")
    assert Unit.objects.get(name="Dinas Pariwisata").parent == world.unit
    page.get_by_role("link", name="Perangkat daerah", exact=True).first.click()
    expect(page.get_by_role("link", name="Dinas Pariwisata", exact=True)).to_be_visible()


def _roster_file(tmp_path, world) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DAFTAR PEJABAT PEMERINTAH KABUPATEN LAMPUNG BARAT"])
    sheet.merge_cells("A1:F1")
    sheet.append(["NIP", "Nama", "Jabatan", "Eselon", "Unit Kerja", "TMT Jabatan"])
    sheet.append(
        [make_nip(901), "Rahmat Hidayat, S.Sos.", "Kepala Bidang Pemerintahan", "III.b", "Diskominfo", "2 Januari 2024"]
    )
    sheet.append([197703152002121003, "Wahyu Nugroho, S.T.", "Kepala Seksi", "IV.a", "Dinkes", "02-01-2024"])
    sheet.append([make_nip(903), "Lina Marzuki, S.KM.", "Sekretaris Dinas", "3a", "Dinas Kesehatan", "2024-03-01"])
    for row in (3, 5):
        sheet.cell(row=row, column=1).data_type = "s"
    path = tmp_path / "Daftar Pejabat.xlsx"
    workbook.save(path)
    return str(path)


def test_admin_imports_officials_sees_the_bad_row_and_imports_the_valid_ones(admin_page, world, tmp_path):
    page = admin_page
    page.goto("/organisasi/pejabat/")
    page.get_by_role("link", name="Impor pejabat").click()
    page.get_by_label("Berkas Excel (.xlsx)").set_input_files(_roster_file(tmp_path, world))
    page.get_by_role("button", name="Unggah dan periksa").click()
    bad_row = page.locator("tr.row-error")
    expect(bad_row).to_have_count(1)
    expect(bad_row).to_contain_text("Wahyu Nugroho")
    expect(bad_row).to_contain_text("tersimpan sebagai angka")
    expect(page.get_by_role("button", name="Impor semua baris")).to_be_disabled()
    assert not Official.objects.filter(name__startswith="Rahmat").exists()
    page.get_by_role("button", name="Impor hanya 2 baris valid").click()
    expect(page.locator(".stat").filter(has_text="tersimpan")).to_contain_text("2")
    page.get_by_role("link", name="Kembali ke daftar").click()
    expect(page.get_by_role("link", name="Rahmat Hidayat, S.Sos.")).to_be_visible()
    expect(page.get_by_role("link", name="Lina Marzuki, S.KM.")).to_be_visible()
    expect(page.get_by_text("Wahyu Nugroho")).to_have_count(0)


def test_the_interface_switches_to_english_and_back(admin_page):
    page = admin_page
    page.get_by_label("Bahasa").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Organisation").click()
    expect(page.get_by_role("link", name="Add a unit")).to_be_visible()
    # The selector submits itself from app.js (deferred): a change before the page has loaded is missed.
    page.wait_for_load_state("load")
    page.get_by_label("Language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Tambah perangkat daerah")).to_be_visible()


def test_the_roster_is_usable_on_a_phone(phone_page, world):
    page = phone_page
    sign_in(page, world.user(Role.ADMIN).email)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Organisasi").click()
    page.get_by_role("link", name="Pejabat/ASN").click()
    expect(page.get_by_role("link", name=world.official.name)).to_be_visible()
    # Wide tables scroll inside their frame; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

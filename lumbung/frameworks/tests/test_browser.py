"""Browser journeys: the national admin starts next year from this year, corrects a threshold
of the draft from the new annex and puts the year in force; a region admin reads the
methodology on a phone, unconfirmed values included."""

import re

import pytest
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.frameworks.models import Framework
from lumbung.frameworks.reference import load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(label: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(label)}:?\s*$")


def test_national_admin_prepares_next_year(world, reference_data, live_server, page):
    load()
    sign_in(page, world.national_admin.email)
    page.goto("/metodologi/2026/")
    page.get_by_role("link", name="Salin ke tahun baru").click()
    page.get_by_label(field("Tahun penilaian baru")).fill("2027")
    page.get_by_role("button", name="Buat draf").click()
    page.wait_for_url("**/metodologi/2027/")
    expect(page.locator("main")).to_contain_text("Disalin dari metodologi 2026")

    # The new annex moves the top level of indicator 17 to more than 40 people.
    page.get_by_role("link", name="Ubah baris 17").click()
    page.get_by_label(field("Parameter 3")).fill("Lebih dari 40 SDM")
    page.get_by_label("Nilai batas atas tingkat 2").fill("40")
    page.get_by_label("Nilai batas bawah tingkat 3").fill("4")  # a slip: level 3 would start below level 2
    page.get_by_label(field("Alasan perubahan")).fill("Lampiran II 2027 hlm. 9")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("main")).to_contain_text("ambang tingkat 2 dan 3 tidak berurutan")
    expect(page.get_by_label(field("Parameter 3"))).to_have_value("Lebih dari 40 SDM")  # nothing typed is lost
    page.get_by_label("Nilai batas bawah tingkat 3").fill("40")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/metodologi/2027/#baris-17")
    expect(page.locator("#baris-17")).to_contain_text("Ambang: > 40")

    page.get_by_role("link", name="Riwayat perubahan").click()
    expect(page.locator("main")).to_contain_text("Lampiran II 2027 hlm. 9")
    page.go_back()
    page.get_by_role("button", name="Berlakukan").click()
    expect(page.locator(".messages")).to_contain_text("Status metodologi diperbarui")
    assert Framework.objects.get(year=2027).status == Framework.Status.ACTIVE
    assert Framework.objects.get(year=2027).indicators.get(code="17").level_for(41) == 3


def test_region_admin_reads_the_methodology_on_a_phone(world, reference_data, live_server, phone_page):
    load()
    sign_in(phone_page, world.user("admin").email)
    phone_page.get_by_role("button", name="Menu").click()
    phone_page.get_by_role("link", name="Metodologi").click()
    phone_page.get_by_role("link", name="2026").click()
    expect(phone_page.locator("h1")).to_contain_text("Indeks Inovasi Daerah 2026")
    expect(phone_page.get_by_role("link", name="Ubah konstanta")).to_have_count(0)
    row_25 = phone_page.locator("#baris-25")
    expect(row_25).to_contain_text("belum terkonfirmasi")
    # The research note behind the mark is for the national admin only.
    expect(row_25).not_to_contain_text("Satu sumber hanya mencantumkan dua parameter")
    row_25.get_by_text("Ketentuan eviden").click()
    expect(row_25).to_contain_text("Gambar (JPG/PNG)")
    # Nothing on the page is wider than the phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360

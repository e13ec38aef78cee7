"""Browser journeys: an operator drafts and submits an innovation, a verifier returns it with a
note, the operator fixes and resubmits, the verifier verifies and publishes, and a citizen finds
it on the showcase (on a phone); an admin reminds a unit missing its quota, and a repeat within
the quiet period waits for the admin's confirmation."""

import re

import pytest
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.innovations.models import Innovation, ProgrammeReminder
from lumbung.organisation.models import Unit

from .factories import DESIGN_PART, InnovationFactory, ProgrammeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(label: str) -> re.Pattern:
    """A form label as rendered ("Nama inovasi:" for inputs, "Penerapan" for a radio choice)."""
    return re.compile(rf"^\s*{re.escape(label)}:?\s*$")


def sign_out(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/")


def test_review_journey_to_the_showcase(world, reference_data, live_server, page, phone_page):
    InnovationFactory(region=world.region, unit=world.sibling_unit, name="Informasi Harga Kopi Petani")
    operator, verifier = world.user("operator"), world.user("verifier")

    sign_in(page, operator.email)
    page.goto("/inovasi/baru/")
    page.get_by_label(field("Perangkat daerah")).select_option(label=world.unit.display_name)
    page.get_by_label(field("Nama inovasi")).fill("Sistem Informasi Harga Kopi Robusta")
    # htmx: a look-alike exists in another unit; only that unit is named, not its draft.
    expect(page.locator("#similar")).to_contain_text(world.sibling_unit.name)
    page.get_by_label(field("Penerapan")).check()
    page.get_by_label(field("Inisiator")).select_option(label="OPD")
    page.get_by_label(field("Digital")).check()
    page.get_by_label(field("Pelayanan publik")).check()
    page.get_by_label(field("Urusan utama")).select_option(label="Pertanian")
    page.get_by_label(field("Waktu uji coba")).fill("2024-02-01")
    page.get_by_label(field("Waktu penerapan")).fill("2024-06-01")
    for label in (
        "Dasar hukum",
        "Permasalahan",
        "Isu strategis",
        "Metode pembaharuan",
        "Keunggulan dan kebaharuan",
        "Cara kerja inovasi",
    ):
        page.get_by_label(field(label)).fill(DESIGN_PART)
    expect(page.locator("output[data-word-total]")).to_have_text("330")  # the live word count
    page.get_by_label(field("Tujuan inovasi")).fill("Petani tahu harga kopi harian.")
    page.get_by_label(field("Manfaat yang diperoleh")).fill("Harga jual petani naik.")
    page.get_by_label(field("Hasil inovasi")).fill("1.200 petani memakai layanan.")
    page.get_by_label(field("Lintang")).fill("-5.03")
    page.get_by_label(field("Bujur")).fill("104.06")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sistem Informasi Harga Kopi Robusta")

    page.get_by_text("Tambah anggota tim").click()
    page.get_by_label(field("ASN dari daftar pegawai")).select_option(label=world.official.name)
    page.get_by_label(field("Peran")).select_option(label="Pemilik")
    page.get_by_role("button", name="Tambahkan").click()
    page.get_by_role("button", name="Ajukan untuk diverifikasi").click()
    expect(page.locator(".page-head")).to_contain_text("Diajukan")
    innovation = Innovation.objects.get(name="Sistem Informasi Harga Kopi Robusta")
    sign_out(page)

    sign_in(page, verifier.email)
    page.goto(f"/inovasi/{innovation.pk}/")
    page.get_by_role("link", name="Kembalikan dengan catatan per bagian").click()
    page.get_by_label(field("Permasalahan")).fill("Sertakan data harga sebelum inovasi (2023).")
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(page.locator(".page-head")).to_contain_text("Dikembalikan untuk perbaikan")
    sign_out(page)

    sign_in(page, operator.email)
    page.goto(f"/inovasi/{innovation.pk}/")
    page.get_by_role("link", name="Perbaiki profil").click()
    expect(page.locator("#note-problem")).to_contain_text("Sertakan data harga sebelum inovasi (2023).")
    page.get_by_label(field("Permasalahan")).fill(DESIGN_PART + " Harga 2023 Rp18.000 per kilogram.")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_role("button", name="Ajukan ulang").click()
    expect(page.locator(".page-head")).to_contain_text("Diajukan ulang")
    sign_out(page)

    sign_in(page, verifier.email)
    page.goto(f"/inovasi/{innovation.pk}/")
    for button, state in (
        ("Dokumen sesuai", "Dokumen terverifikasi"),
        ("Substansi sesuai", "Substansi terverifikasi"),
        ("Terbitkan di etalase", "Terbit"),
    ):
        if button == "Terbitkan di etalase":
            page.once("dialog", lambda dialog: dialog.accept())  # publishing asks first
        page.get_by_role("button", name=button).click()
        expect(page.locator(".page-head")).to_contain_text(state)
    expect(page.locator(".timeline")).to_contain_text("Kembalikan untuk perbaikan")

    phone_page.goto("/")
    phone_page.get_by_role("link", name=world.region.name).click()
    phone_page.get_by_label(field("Cari")).fill("kopi robusta")
    phone_page.get_by_role("button", name="Terapkan").click()
    phone_page.get_by_role("link", name="Sistem Informasi Harga Kopi Robusta").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Sistem Informasi Harga Kopi Robusta")
    expect(phone_page.locator("main")).to_contain_text("Harga 2023 Rp18.000 per kilogram.")
    assert not re.search(r"\b\d{18}\b", phone_page.content())
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the showcase page scrolls sideways on a phone"


def test_an_admin_reminds_a_unit_and_a_repeat_needs_confirmation(world, reference_data, live_server, page):
    programme = ProgrammeFactory(region=world.region, unit_kinds=[Unit.Kind.OFFICE], created_by=world.user("admin"))
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    sign_in(page, world.user("admin").email)
    page.goto(f"/inovasi/program/{programme.pk}/")
    page.get_by_role("button", name=f"Ingatkan {world.unit.display_name}").click()
    expect(page.get_by_text("Pengingat dikirim kepada 1 orang untuk 1 sasaran")).to_be_visible()
    expect(page.get_by_role("button", name=f"Ingatkan lagi {world.unit.display_name}")).to_be_visible()

    # Everyone at once: Diskominfo was reminded a moment ago and is held back.
    page.get_by_role("button", name="Kirim pengingat").click()
    expect(page.get_by_text("Tidak dikirim ulang kepada 1 sasaran")).to_be_visible()
    assert ProgrammeReminder.objects.count() == 1
    page.get_by_label("Kirim ulang juga kepada yang baru saja diingatkan").check()
    page.get_by_role("button", name="Kirim pengingat").click()
    expect(page.get_by_text("Pengingat dikirim kepada 1 orang")).to_be_visible()
    assert ProgrammeReminder.objects.filter(repeat_confirmed=True).count() == 1

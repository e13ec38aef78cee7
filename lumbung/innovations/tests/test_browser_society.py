"""Browser journey: a citizen registers an innovation of their own (with a photo), submits it, a
verifier verifies and publishes it, and it is shown on the landing page and in the showcase,
attributed to the citizen's group (on a phone)."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.innovations.models import Innovation

from .factories import DESIGN_PART

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(label: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(label)}:?\s*$")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_citizen_registers_an_innovation_that_is_verified_and_shown(world, reference_data, live_server, page,
                                                                      phone_page):  # fmt: skip
    world.region.is_hosted = True
    world.region.save(update_fields=["is_hosted"])
    citizen, verifier = world.user("citizen"), world.user("verifier")

    sign_in(page, citizen.email)
    page.get_by_role("link", name="Inovasi saya").first.click()
    page.get_by_role("link", name="Daftarkan inovasi").click()
    page.get_by_label(field("Nama inovasi")).fill("Bank Sampah Pekon Sukamaju")
    page.get_by_label(field("Nama kelompok masyarakat")).fill("Kelompok Peduli Lingkungan")
    page.get_by_label(field("Uji coba")).check()
    page.get_by_label(field("Pelayanan publik")).check()
    page.get_by_label(field("Urusan utama")).select_option(label="Pertanian")
    page.get_by_label(field("Waktu uji coba")).fill("2025-03-01")
    for label in ("Dasar hukum", "Permasalahan", "Isu strategis", "Metode pembaharuan", "Keunggulan dan kebaharuan",
                  "Cara kerja inovasi"):  # fmt: skip
        page.get_by_label(field(label)).fill(DESIGN_PART)
    page.get_by_label(field("Tujuan inovasi")).fill("Sampah rumah tangga terpilah.")
    page.get_by_label(field("Manfaat yang diperoleh")).fill("Warga menabung dari sampah.")
    page.get_by_label(field("Hasil inovasi")).fill("120 keluarga menabung sampah.")
    page.get_by_label(field("Foto (opsional)")).set_input_files(
        files=[{"name": "bank-sampah.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bank Sampah Pekon Sukamaju")
    page.get_by_role("button", name="Ajukan untuk diverifikasi").click()
    expect(page.locator(".page-head")).to_contain_text("Diajukan")
    innovation = Innovation.objects.get(name="Bank Sampah Pekon Sukamaju")
    assert innovation.unit is None and innovation.track == Innovation.Track.SOCIETY and innovation.photo
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/")

    sign_in(page, verifier.email)
    page.on("dialog", lambda dialog: dialog.accept())  # publishing asks for confirmation
    page.goto(f"/inovasi/{innovation.pk}/")
    for button, state in (("Dokumen sesuai", "Dokumen terverifikasi"), ("Substansi sesuai", "Substansi terverifikasi"),
                          ("Terbitkan di etalase", "Terbit")):  # fmt: skip
        page.get_by_role("button", name=button).click()
        expect(page.locator(".page-head")).to_contain_text(state)

    phone_page.goto("/")
    latest = phone_page.locator("section", has=phone_page.get_by_role("heading", name="Inovasi terbaru di etalase"))
    expect(latest).to_contain_text("Bank Sampah Pekon Sukamaju")
    expect(latest).to_contain_text("Kelompok Peduli Lingkungan")
    photo = latest.get_by_role("img", name="Foto inovasi Bank Sampah Pekon Sukamaju")
    expect(photo).to_be_visible()
    # Visible is not loaded (the showcase's photos load lazily): wait for the picture itself.
    phone_page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert phone_page.evaluate("(img) => img.naturalWidth", photo.element_handle()) == 40
    latest.get_by_role("link", name="Bank Sampah Pekon Sukamaju").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Bank Sampah Pekon Sukamaju")
    expect(phone_page.locator("main")).to_contain_text("Kelompok Peduli Lingkungan")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360

"""Browser journeys of the follow-up: the admin makes a unit responsible for an SPD row and its
operator answers it on a phone; an admin's own claim waits for another verifier; the admin
records the national panel's presentation scores and a reviewer ticks off the field check."""

import pytest
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.assessment import services
from lumbung.assessment.models import FieldCheck, PresentationSheet, RegionAnswer, RowStatus
from lumbung.core.roles import Role

from .factories import PDF_BYTES, InnovationFactory, claim_with_evidence, png_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_made_responsible_answers_its_spd_row_on_a_phone(
    world, live_server, page, phone_page, year_2026, tmp_path
):
    admin, operator = world.user(Role.ADMIN), world.user(Role.OPERATOR)
    sign_in(page, admin.email)
    page.goto(f"/penilaian/{year_2026.pk}/spd/")
    page.get_by_label("Penanggung jawab indikator 3", exact=True).select_option(label=world.unit.display_name)
    page.get_by_role("button", name="Simpan penanggung jawab").click()
    expect(page.locator(".messages")).to_contain_text("Penanggung jawab 1 indikator SPD disimpan.")

    sign_in(phone_page, operator.email)
    panel = phone_page.locator(".panels")
    expect(panel).to_contain_text("Indikator SPD tanggung jawab perangkat daerah Anda")
    panel.get_by_role("link", name="3. Kualitas peningkatan perizinan").click()
    phone_page.get_by_label("Nilai terukur").fill("12,41")
    phone_page.get_by_role("button", name="Simpan jawaban").click()
    expect(phone_page.locator(".messages")).to_contain_text("Jawaban disimpan")
    upload = tmp_path / "rekap-izin.pdf"
    upload.write_bytes(PDF_BYTES)
    phone_page.get_by_label("Judul dokumen").fill("Rekap izin terbit DPMPTSP 2024–2025")
    phone_page.get_by_label("Tahun:", exact=True).fill("2025")
    phone_page.get_by_label("Berkas").set_input_files(str(upload))
    phone_page.get_by_role("button", name="Unggah dan lampirkan").click()
    expect(phone_page.locator(".messages")).to_contain_text("Eviden diunggah dan dilampirkan")
    expect(phone_page.locator(".timeline")).to_contain_text("Penanggung jawab ditetapkan")

    row = RegionAnswer.objects.get(assessment=year_2026, indicator__code="3")
    assert (row.unit, row.level, row.status, row.evidence_links.count()) == (world.unit, 3, RowStatus.CLAIMED, 1)


def test_the_admins_own_claim_waits_for_another_verifier(world, live_server, page, year_2026):
    admin, verifier = world.user(Role.ADMIN), world.user(Role.VERIFIER)
    row = RegionAnswer.objects.select_related("indicator", "assessment").get(assessment=year_2026, indicator__code="8")
    claim_with_evidence(row, actor=admin, level=3, title="LHP BPK atas LKPD 2025 (WTP)", year=2025)

    sign_in(page, admin.email)
    page.goto(f"/penilaian/baris/spd/{row.pk}/")
    expect(page.get_by_text("verifikator lain")).to_be_visible()
    expect(page.get_by_role("button", name="Sesuai", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Keluar").click()
    sign_in(page, verifier.email)
    page.goto(f"/penilaian/baris/spd/{row.pk}/")
    page.get_by_role("button", name="Sesuai", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Status baris: Sesuai")
    row.refresh_from_db()
    assert (row.status, row.verified_by) == (RowStatus.ACCEPTED, verifier)


def test_presentation_scores_and_the_field_check(world, live_server, page, year_2026, tmp_path):
    admin, verifier = world.user(Role.ADMIN), world.user(Role.VERIFIER)
    innovation = InnovationFactory(region=world.region, unit=world.unit, name="Ambulans Pekon Siaga")
    services.entry_add(assessment=year_2026, innovation=innovation, actor=admin)

    sign_in(page, admin.email)
    page.goto(f"/penilaian/{year_2026.pk}/")
    page.get_by_label("Lembar nilai presentasi kepala daerah").check()
    page.get_by_label("Daftar periksa validasi lapangan").check()
    page.get_by_role("button", name="Simpan modul").click()
    page.get_by_role("link", name="Presentasi", exact=True).click()
    page.get_by_role("radio", name="Hasil panel penilai nasional").check()
    page.get_by_label("Tanggal presentasi").fill("2026-09-25")
    page.get_by_label("Penilai:", exact=True).fill("Tim Penilai IGA 2026")
    for label, score in (("Kebaharuan", "80"), ("Kemanfaatan", "70"), ("Kewenangan daerah", "90"),
                         ("Replikasi dan aplikatif", "60"), ("Penguasaan materi", "100")):  # fmt: skip
        page.get_by_label(label).fill(score)
    page.get_by_role("button", name="Simpan lembar nilai").click()
    expect(page.locator(".messages")).to_contain_text("nilai tertimbang 77,00")
    page.get_by_role("link", name="Validasi lapangan", exact=True).click()
    page.get_by_label("Ambulans Pekon Siaga").check()
    page.get_by_role("button", name="Tambahkan ke daftar periksa").click()
    expect(page.locator(".messages")).to_contain_text("1 inovasi masuk daftar periksa")

    page.get_by_role("button", name="Keluar").click()
    sign_in(page, verifier.email)
    page.goto(f"/penilaian/{year_2026.pk}/validasi-lapangan/")
    page.get_by_role("link", name="Ambulans Pekon Siaga").click()
    photo = tmp_path / "lokasi.png"
    photo.write_bytes(png_file().read())
    page.get_by_label("Keterangan foto").fill("Ambulans siaga di balai pekon")
    page.get_by_label("Foto:", exact=True).set_input_files(str(photo))
    page.get_by_role("button", name="Unggah foto").click()
    expect(page.locator(".messages")).to_contain_text("Foto ditambahkan")
    page.get_by_label("Ya, ada dan berjalan").check()
    page.get_by_role("button", name="Simpan hasil").click()
    expect(page.locator(".messages")).to_contain_text("Ada di lapangan")

    sheet = PresentationSheet.objects.get(assessment=year_2026)
    assert (sheet.kind, str(sheet.total)) == (PresentationSheet.Kind.OFFICIAL, "77.00")
    check = FieldCheck.objects.get(entry__innovation=innovation)
    assert (check.status, check.checked_by, check.photos.count()) == (FieldCheck.Status.FOUND, verifier, 1)

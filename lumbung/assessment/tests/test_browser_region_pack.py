"""Browser journey on the 2026 methodology as shipped: the admin reads the pre-flight report and
builds the region's pack, fixes the one rejected row with other evidence, a verifier accepts it,
and the report and the rebuilt pack change."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.assessment import regionpack, services
from lumbung.core.roles import Role

from .factories import PDF_BYTES, InnovationFactory, claim_with_evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _iid(page) -> Decimal:
    return Decimal(page.locator("#packed-iid").inner_text().strip().replace(".", "").replace(",", "."))


def _build(page, assessment_pk):
    """Build the pack from the report page; returns the ZIP the job offers."""
    page.goto(f"/penilaian/{assessment_pk}/prapengiriman/")
    page.get_by_role("button", name="Bangun paket seluruh pemda").click()
    expect(page.locator(".job-status")).to_contain_text("Selesai")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh").click()
    return zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))


def _report_iid(archive) -> Decimal:
    report = load_workbook(io.BytesIO(archive.read(regionpack.REPORT_NAME)))
    rows = {row[0]: row[1] for row in report["Ringkasan"].iter_rows(min_row=3, values_only=True)}
    return Decimal(str(rows["IID dari isi paket"]))


def test_the_admin_fixes_a_rejected_row_and_the_report_changes(world, live_server, page, year_2026, tmp_path):
    admin, verifier = world.user(Role.ADMIN), world.user(Role.VERIFIER)
    innovation = InnovationFactory(region=world.region, unit=world.unit, name="Lambar Satu Data")
    entry = services.entry_add(assessment=year_2026, innovation=innovation, actor=admin)
    rows = {row.indicator.code: row for row in entry.answers.select_related("indicator", "entry__assessment")}
    claim_with_evidence(rows["16"], actor=admin, level=3, title="Perbup Inovasi Daerah", year=2025)
    services.row_transition(row=rows["16"], action="accept", actor=verifier)
    claim_with_evidence(rows["18"], actor=admin, level=2, title="DPA tanpa nama inovasi", year=2026)
    services.row_transition(row=rows["18"], action="reject", actor=verifier, reason="name_missing")

    sign_in(page, admin.email)
    page.goto(f"/penilaian/{year_2026.pk}/")
    page.get_by_role("link", name="Paket portal").click()
    report = page.locator(".preflight-row", has_text="Lambar Satu Data").filter(has_text="18.")
    expect(report).to_contain_text("Ditolak verifikator")
    expect(report).to_contain_text("DPA tanpa nama inovasi (2026)")
    before = _iid(page)

    first = _build(page, year_2026.pk)
    names = first.namelist()
    assert names[0] == regionpack.REPORT_NAME
    assert any(name.endswith("21_ind16_1_perbup-inovasi-daerah.pdf") for name in names)
    assert not any("_ind18_" in name for name in names), "rejected evidence is not packed"
    assert _report_iid(first) == before

    # The fix: other evidence for row 18, the rejected document taken off, the row resubmitted.
    page.goto(f"/penilaian/{year_2026.pk}/prapengiriman/")
    page.locator(".preflight-row", has_text="Ditolak verifikator").get_by_role("link").first.click()
    upload = tmp_path / "dpa.pdf"
    upload.write_bytes(PDF_BYTES.replace(b"trailer", b"% dpa baru\ntrailer"))
    page.get_by_label("Judul dokumen").fill("Kutipan DPA Lambar Satu Data")
    page.get_by_label("Tahun:", exact=True).fill("2026")
    page.get_by_label("Berkas").set_input_files(str(upload))
    page.get_by_role("button", name="Unggah dan lampirkan").click()
    expect(page.locator(".messages")).to_contain_text("Eviden diunggah dan dilampirkan")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".evidence-list li", has_text="DPA tanpa nama inovasi").get_by_role("button", name="lepas").click()
    expect(page.locator(".evidence-list")).not_to_contain_text("DPA tanpa nama inovasi")
    page.get_by_role("button", name="Ajukan ulang untuk diverifikasi").click()
    expect(page.locator(".messages")).to_contain_text("Status baris: Diajukan ulang")
    row_url = page.url

    page.get_by_role("button", name="Keluar").click()
    sign_in(page, verifier.email)
    page.goto(row_url)
    page.get_by_role("button", name="Sesuai", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Status baris: Sesuai")
    # The verifier reads the report too (without the build button).
    page.goto(f"/penilaian/{year_2026.pk}/prapengiriman/")
    expect(page.get_by_role("button", name="Bangun paket seluruh pemda")).to_have_count(0)

    page.get_by_role("button", name="Keluar").click()
    sign_in(page, admin.email)
    page.goto(f"/penilaian/{year_2026.pk}/prapengiriman/")
    expect(page.locator(".preflight-row", has_text="Ditolak verifikator")).to_have_count(0)
    after = _iid(page)
    assert after > before
    second = _build(page, year_2026.pk)
    assert any(name.endswith("_ind18_1_kutipan-dpa-lambar-satu-data.pdf") for name in second.namelist())
    assert not any("dpa-tanpa-nama" in name for name in second.namelist())
    assert _report_iid(second) == after

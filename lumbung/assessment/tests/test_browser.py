"""Browser journeys on the 2026 methodology as shipped: an operator attaches one library document
to several rows at once (on a phone); a verifier rejects a row with a reason and the unit sees
it; the planner's top action, carried out by the admin and accepted by a verifier, raises the IID
by exactly the gain it announced."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import htmx_settled, sign_in
from lumbung.assessment import evidence, services
from lumbung.assessment.models import Answer, Assessment, EvidenceLink, RowStatus
from lumbung.core.roles import Role

from .factories import PDF_BYTES, InnovationFactory, claim_with_evidence, pdf_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _enter(assessment, world, name, unit=None):
    innovation = InnovationFactory(region=world.region, unit=unit or world.unit, name=name)
    return services.entry_add(assessment=assessment, innovation=innovation, actor=world.user(Role.ADMIN))


def test_an_operator_attaches_one_document_to_several_rows_on_a_phone(world, live_server, phone_page, year_2026):
    operator = world.user(Role.OPERATOR)
    first = _enter(year_2026, world, "Lambar Satu Data")
    second = _enter(year_2026, world, "E-Office Pemerintah Kabupaten Lampung Barat")
    other_unit = _enter(year_2026, world, "Posyandu Remaja Pekon", unit=world.sibling_unit)
    evidence.document_store(
        region=world.region, actor=operator, title="SK Kepala Diskominfo tentang Tim Pelaksana Inovasi", year=2026,
        file=pdf_file("sk-tim.pdf"),
    )  # fmt: skip

    page = phone_page
    sign_in(page, operator.email)
    page.goto(f"/penilaian/{year_2026.pk}/pustaka/")
    page.get_by_label("Pilih SK Kepala Diskominfo tentang Tim Pelaksana Inovasi").check()
    page.get_by_role("button", name="Lampirkan yang dipilih ke baris").click()
    panel = page.locator("#attach-panel")
    expect(panel).to_contain_text("Lampirkan 1 dokumen ke baris")
    expect(panel).not_to_contain_text("Posyandu Remaja Pekon")  # another unit's innovation
    htmx_settled(page)
    panel.get_by_label("Tampilkan indikator").select_option("17")
    expect(panel.locator("input[name=rows]")).to_have_count(2)  # row 17 of each innovation, once filtered
    htmx_settled(page)  # a swap still in flight would replace the boxes ticked below
    for name in ("Lambar Satu Data", "E-Office Pemerintah Kabupaten Lampung Barat"):
        box = panel.locator("fieldset", has_text=name).get_by_role("checkbox")
        box.check()
        expect(box).to_be_checked()
    panel.get_by_role("button", name="Lampirkan ke baris yang dipilih").click()
    page.wait_for_url(f"**/penilaian/{year_2026.pk}/pustaka/")
    expect(page.locator(".messages")).to_contain_text("1 dokumen dilampirkan ke 2 baris")

    links = EvidenceLink.objects.filter(answer__indicator__code="17").select_related("answer__entry")
    assert {link.answer.entry for link in links} == {first, second}
    assert not EvidenceLink.objects.filter(answer__entry=other_unit).exists()


def test_a_verifier_rejects_a_row_with_a_reason_and_the_unit_sees_what_to_fix(world, live_server, page, year_2026):
    operator, verifier = world.user(Role.OPERATOR), world.user(Role.VERIFIER)
    entry = _enter(year_2026, world, "Dukcapil Lambar dalam Genggaman")
    row = entry.answers.select_related("indicator", "entry__assessment").get(indicator__code="16")
    claim_with_evidence(row, actor=operator, level=3, title="Perda tentang Inovasi Daerah", year=2025)

    sign_in(page, verifier.email)
    page.goto(f"/penilaian/{year_2026.pk}/matriks/")
    page.get_by_role("link", name=re.compile("Diklaim")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("16. Regulasi inovasi daerah")
    page.get_by_role("button", name="Tidak sesuai").click()  # no reason chosen yet
    expect(page.locator(".verdict-form")).to_contain_text("Pilih alasan ketidaksesuaian.")
    page.get_by_label("Alasan bila tidak sesuai").select_option(label="Nama inovasi tidak tercantum dalam dokumen")
    page.get_by_label("Catatan untuk perangkat daerah").fill("Lampirkan halaman daftar inovasi yang memuat nama ini.")
    page.get_by_role("button", name="Tidak sesuai").click()
    expect(page.locator(".messages")).to_contain_text("Status baris: Tidak sesuai")
    expect(page.locator(".timeline")).to_contain_text("Tidak sesuai")

    row.refresh_from_db()
    assert (row.status, row.verdict_reason, row.verified_by) == (RowStatus.REJECTED, "name_missing", verifier)

    page.get_by_role("button", name="Keluar").click()
    sign_in(page, operator.email)
    expect(page.locator(".panels")).to_contain_text("Dukcapil Lambar dalam Genggaman — 16")
    page.get_by_role("link", name="Dukcapil Lambar dalam Genggaman — 16").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nama inovasi tidak tercantum dalam dokumen")
    expect(page.get_by_role("alert").first).to_contain_text("Lampirkan halaman daftar inovasi")


def test_the_planners_top_action_raises_the_iid_by_the_gain_it_announced(world, live_server, page, year_2026, tmp_path):
    admin = world.user(Role.ADMIN)
    for name in ("Kartu Lambar Sejahtera Terpadu", "Ambulans Pekon Siaga"):
        _enter(year_2026, world, name)

    sign_in(page, admin.email)
    page.goto(f"/penilaian/{year_2026.pk}/perencana/")
    before = _decimal(page.locator("#plan-iid").inner_text())
    top = page.locator(".plan-action").first
    gain = Decimal(top.get_attribute("data-gain"))
    target = int(re.search(r"parameter (\d)\)", top.locator(".plan-text").inner_text()).group(1))
    assert gain > 0
    top.get_by_role("link", name="buka baris").click()

    # Carry it out: the level the planner named (on a measured row, a number that gives it), a
    # document the row's rule accepts, the verdict.
    measured = page.get_by_label("Nilai terukur")
    if measured.count():
        indicator = Answer.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1])).indicator
        measured.fill(_number_for(indicator, target))
    else:
        page.get_by_label(re.compile(rf"\b{target} — ")).check()
    page.get_by_role("button", name="Simpan jawaban").click()
    expect(page.locator(".messages")).to_contain_text("Jawaban disimpan")
    allowed = page.locator("dt:has-text('Tahun dokumen') + dd").inner_text().split(", ")
    upload = tmp_path / "bukti.pdf"
    upload.write_bytes(PDF_BYTES)
    page.get_by_label("Judul dokumen").fill("Bukti sesuai ketentuan baris")
    page.get_by_label("Tahun:", exact=True).fill(allowed[-1])
    page.get_by_label("Berkas").set_input_files(str(upload))
    page.get_by_role("button", name="Unggah dan lampirkan").click()
    expect(page.locator(".messages")).to_contain_text("Eviden diunggah dan dilampirkan")
    # Whoever claimed the row does not judge it: a verifier does.
    expect(page.get_by_text("verifikator lain")).to_be_visible()
    expect(page.get_by_role("button", name="Sesuai", exact=True)).to_have_count(0)
    row_url = page.url
    page.get_by_role("button", name="Keluar").click()
    sign_in(page, world.user(Role.VERIFIER).email)
    page.goto(row_url)
    page.get_by_role("button", name="Sesuai", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Status baris: Sesuai")

    page.goto(f"/penilaian/{year_2026.pk}/perencana/")
    after = _decimal(page.locator("#plan-iid").inner_text())
    assert after - before == gain
    assert Assessment.objects.get(pk=year_2026.pk).verified_iid == after


def _number_for(indicator, level: int) -> str:
    """A number inside the published range of `level` (written as the form reads it)."""
    band = next(band for band in indicator.thresholds if band["level"] == level)
    value = Decimal(str(band.get("min", band.get("max"))))
    assert indicator.level_for(value) == level
    return str(value).replace(".", ",")


def _decimal(text: str) -> Decimal:
    return Decimal(text.strip().replace(".", "").replace(",", "."))

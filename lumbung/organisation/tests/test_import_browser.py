"""Browser journey on a 360 px phone: an admin downloads the officials template, keeps its example
row, adds the new Camat Suoh while the current one is still in office, uploads it, sees the example
row marked (not imported) and the second holder warned, chooses to end the current holder's post,
and imports. The preview does not scroll sideways."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.core.roles import Role
from lumbung.organisation.models import Assignment, Echelon, Official
from tests.factories import AssignmentFactory, OfficialFactory, make_nip
from tests.world import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, live_server):
    world = build_world()
    holder = OfficialFactory(region=world.region, name="Hendra Gunawan", nip=make_nip(951))
    AssignmentFactory(
        official=holder, unit=world.unit, position="Camat Suoh", echelon=Echelon.III_A, start_date=dt.date(2021, 2, 1)
    )
    return world


def test_an_admin_imports_a_roster_with_the_example_row_and_a_second_holder(phone_page, world, tmp_path):
    page = phone_page
    sign_in(page, world.user(Role.ADMIN).email)
    page.goto("/impor/officials/unggah/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh templat Excel").click()
    template = tmp_path / "templat-pejabat.xlsx"
    download.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook.active
    sheet.append([make_nip(952), "Yuliani, S.IP.", "Camat Suoh", "III.a", "Diskominfo", "01-03-2026"])
    sheet.cell(row=sheet.max_row, column=1).data_type = "s"
    roster = tmp_path / "daftar-pejabat.xlsx"
    workbook.save(roster)

    page.get_by_label("Berkas").set_input_files(str(roster))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_url("**/impor/*/")
    preview = page.locator("table.import-preview")
    example = preview.locator("tr.row-example")
    expect(example).to_contain_text("Baris contoh dari templat: tidak diimpor.")
    expect(preview.locator("tr.row-attention")).to_contain_text("masih dipegang Hendra Gunawan")
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], "the preview scrolls sideways on a phone"

    page.get_by_label("Akhiri jabatan pemegang lama").check()
    page.get_by_role("button", name="Impor semua baris").click()
    expect(page.locator(".state-done")).to_be_visible()

    assert not Official.objects.filter(name__startswith="Ahmad Saputra").exists()  # the example
    new = Official.objects.get(nip=make_nip(952))
    assert Assignment.objects.get(official=new).position == "Camat Suoh"
    ended = Assignment.objects.get(official__name="Hendra Gunawan")
    assert ended.end_date == dt.date(2026, 2, 28)


def test_the_template_itself_marks_its_example(page, world, tmp_path):
    sign_in(page, world.user(Role.ADMIN).email)
    page.goto("/impor/officials/unggah/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh templat Excel").click()
    download.value.save_as(tmp_path / "templat.xlsx")
    workbook = load_workbook(tmp_path / "templat.xlsx")
    assert str(workbook.active["A2"].value).startswith("(Contoh)")

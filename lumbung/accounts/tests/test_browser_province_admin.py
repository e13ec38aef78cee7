"""Browser journey: the national admin makes someone admin of Provinsi Lampung; that person signs in,
reads the province's ranking, one region's drill-down and the regions that most need help, and
opens a clinic case for one of them."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.accounts.models import RoleAssignment
from lumbung.assessment.tests.factories import open_assessment
from lumbung.clinic.models import Case
from lumbung.core.roles import Role
from lumbung.organisation.models import Region
from lumbung.rankings.models import RegionIndexSnapshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _snapshot(assessment, expected: str, rejected: int) -> None:
    RegionIndexSnapshot.objects.create(
        region=assessment.region, assessment=assessment, year=assessment.year, taken_on=timezone.localdate(),
        expected_iid=Decimal(expected), verified_iid=Decimal(expected), claimed_iid=Decimal(expected),
        rejected_rows=rejected,
    )  # fmt: skip


def test_a_new_province_admin_reads_the_rankings_and_opens_a_clinic_case(world, live_server, page):
    lampung = Region.objects.create(code="18", name="Provinsi Lampung", kind=Region.Kind.PROVINCE, is_hosted=True)
    Region.objects.filter(pk__in=[world.region.pk, world.other_region.pk]).update(province=lampung)
    admin = world.user(Role.ADMIN)
    _snapshot(open_assessment(world.region, admin), "72.50", 1)
    _snapshot(open_assessment(world.other_region, world.other_admin), "41.20", 6)
    rina = UserFactory(email="rina@lampungprov.go.id", full_name="Rina Marlina")

    sign_in(page, world.national_admin.email)
    page.get_by_role("link", name="Admin provinsi").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Admin provinsi")
    page.get_by_label("Kode provinsi").fill("18")
    page.get_by_label("Surel").fill("rina@lampungprov.go.id")
    page.get_by_role("button", name="Beri peran").click()
    expect(page.locator(".field", has=page.get_by_label("Alasan"))).to_contain_text("Tuliskan alasannya")
    page.get_by_label("Alasan").fill("SK Gubernur Lampung No. 800/45/2026")
    page.get_by_role("button", name="Beri peran").click()
    expect(page.locator(".messages")).to_contain_text("rina@lampungprov.go.id kini admin Provinsi Lampung.")
    expect(page.get_by_role("table")).to_contain_text("Rina Marlina")
    assignment = RoleAssignment.objects.get(user=rina, role=Role.PROVINCE_ADMIN, region=lampung, is_active=True)
    assert assignment.history.get().history_change_reason == "SK Gubernur Lampung No. 800/45/2026"

    page.context.clear_cookies()
    sign_in(page, rina.email)
    page.goto("/peringkat/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peringkat pemda")
    ranking = page.get_by_role("region", name="Peringkat", exact=True)
    expect(ranking).to_contain_text("Kabupaten Lampung Barat")
    expect(ranking).to_contain_text("Kabupaten Lampung Selatan")

    ranking.get_by_role("link", name="Kabupaten Lampung Barat").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Lampung Barat")
    page.go_back()

    need_help = page.get_by_role("region", name="Pemda yang paling perlu dibantu")
    row = need_help.get_by_role("row").filter(has_text="Kabupaten Lampung Selatan")
    expect(row).to_contain_text("6")
    row.get_by_role("link", name="Buka kasus klinik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buka kasus klinik untuk Kabupaten Lampung Selatan")
    page.get_by_label("Bantuan yang ditawarkan").fill("Pendampingan melengkapi eviden sebelum validasi")
    page.get_by_label("Uraian").fill("Enam baris ditolak; kami bantu memperbaiki buktinya.")
    page.get_by_role("button", name="Buka kasus").click()
    expect(page.locator(".messages")).to_contain_text("dibuka untuk Kabupaten Lampung Selatan")
    case = Case.objects.get(region=world.other_region)
    assert case.title == "Pendampingan melengkapi eviden sebelum validasi"

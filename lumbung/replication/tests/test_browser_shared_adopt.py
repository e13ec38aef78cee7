"""Browser journey: the admin of one hosted region finds another hosted region's published innovation
in the shared catalogue and adopts it with a reason; the origin region sees the outbound replication."""

import pytest
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.replication.models import Replication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Sekolah dasar di pekon perlu program serupa."


def test_a_shared_innovation_is_adopted_and_the_origin_sees_it(world, reference_data, live_server, page):
    origin = InnovationFactory(
        region=world.other_region, unit=world.other_unit, name="Sekolah Ramah Anak",
        status=Innovation.Status.PUBLISHED, goals="Sekolah yang aman bagi anak.",
    )  # fmt: skip
    InnovationFactory(region=world.other_region, unit=world.other_unit, name="Sekolah Draf Saja")

    sign_in(page, world.user(Role.ADMIN).email)
    page.goto("/replikasi/katalog/")
    page.get_by_role("search", name="Saring katalog").get_by_label("Cari").fill("sekolah")
    page.get_by_role("button", name="Saring").click()
    expect(page.get_by_role("status")).to_have_text("1 inovasi")
    page.get_by_role("link", name="Sekolah Ramah Anak").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sekolah Ramah Anak")

    page.get_by_role("link", name="Adopsi jadi inovasi daerah kita").click()
    page.get_by_label("Perangkat daerah pelaksana").select_option(str(world.unit.pk))
    page.get_by_label("Nama inovasi di daerah kita").fill("Sekolah Ramah Anak Lampung Barat")
    page.get_by_role("button", name="Buat draf inovasi").click()
    # Without a reason nothing is made.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adopsi")
    assert not Replication.objects.exists()
    page.get_by_label("Alasan mengadopsi").fill(REASON)
    page.get_by_role("button", name="Buat draf inovasi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sekolah Ramah Anak Lampung Barat")
    expect(page.locator(".messages")).to_contain_text("replikasinya tercatat juga di Kabupaten Lampung Selatan")
    replication = Replication.objects.get()
    assert (replication.region, replication.origin_innovation, replication.notes) == (world.region, origin, REASON)

    page.context.clear_cookies()
    sign_in(page, world.other_admin.email)
    page.goto("/replikasi/catatan/?arah=outbound")
    reach = page.get_by_role("region", name="Indikator 31: jumlah pemda yang mereplikasi")
    expect(reach.get_by_role("row").filter(has_text="Sekolah Ramah Anak")).to_contain_text("1")
    row = page.get_by_role("row").filter(has_text="tercatat di kedua pemda")
    expect(row).to_contain_text("Sekolah Ramah Anak")
    expect(row).to_contain_text("Kabupaten Lampung Barat")
    row.get_by_role("link", name="Sekolah Ramah Anak").click()
    expect(page.locator("main")).to_contain_text(REASON)

"""Browser journey: an operator finds an external innovation in the catalogue with the facets
and adopts it; a local draft linked to its source appears in the registry."""

import pytest
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.core.roles import Role
from lumbung.innovations.models import GovernmentAffair, Innovation
from lumbung.replication.models import Replication
from tests.factories import RegionFactory

from .factories import CatalogueItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_external_innovation_is_adopted(world, reference_data, live_server, page):
    banyuwangi = RegionFactory(code="35.10", name="Kabupaten Banyuwangi")
    wonogiri = RegionFactory(code="33.12", name="Kabupaten Wonogiri")
    kominfo = GovernmentAffair.objects.get(code="kominfo")
    CatalogueItemFactory(region=world.region, source_region=banyuwangi, name="Smart Kampung", affair=kominfo,
                         summary="Desa terhubung internet dengan layanan administrasi.", award="IGA 2018")  # fmt: skip
    CatalogueItemFactory(region=world.region, source_region=banyuwangi, name="Rantang Kasih", is_digital=False)
    CatalogueItemFactory(region=world.region, source_region=wonogiri, name="Sistem Informasi Desa", affair=kominfo)

    sign_in(page, world.user(Role.OPERATOR).email)
    page.goto("/replikasi/katalog/")
    page.get_by_label("Pemda asal").select_option(label="Kabupaten Banyuwangi (2)")
    page.get_by_label("Jenis").select_option(label="Digital (2)")
    page.get_by_role("button", name="Saring").click()
    expect(page.get_by_role("status")).to_have_text("1 inovasi")
    page.get_by_role("link", name="Smart Kampung").click()

    page.get_by_role("link", name="Adopsi jadi inovasi daerah kita").click()
    expect(page.get_by_label("Perangkat daerah pelaksana")).to_have_value(str(world.unit.pk))
    page.get_by_label("Nama inovasi di daerah kita").fill("Smart Pekon Lampung Barat")
    page.get_by_role("button", name="Buat draf inovasi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Smart Pekon Lampung Barat")
    expect(page.locator(".messages")).to_contain_text("Lengkapi profilnya lalu ajukan")
    innovation = Innovation.objects.get(name="Smart Pekon Lampung Barat")
    assert innovation.status == Innovation.Status.DRAFT and innovation.unit == world.unit
    replication = Replication.objects.get(innovation=innovation)
    assert replication.item.name == "Smart Kampung" and replication.partner_region == banyuwangi

    page.goto(f"/replikasi/katalog/{replication.item_id}/")
    expect(page.get_by_role("region", name="Replikasi di daerah kita")).to_contain_text("Smart Pekon Lampung Barat")

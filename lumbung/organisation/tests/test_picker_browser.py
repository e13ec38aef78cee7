"""Browser journeys for the searchable pickers (static/js/picker.js): a unit is found by typing
among a long list grouped by kind, and event participants are chosen by search and by unit rather
than by a Ctrl-click multi-select."""

import pytest
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.core.roles import Role
from lumbung.events.models import Registration
from lumbung.events.tests.factories import EventFactory
from lumbung.organisation.models import Unit
from tests.factories import AssignmentFactory, OfficialFactory, UnitFactory
from tests.world import build_world

pytestmark = pytest.mark.browser

PEKON = ["Sukamaju", "Sukarame", "Padang Cahya", "Way Empulau Ulu", "Watas", "Bahway", "Kubu Perahu", "Gunung Sugih",
         "Sebarus", "Padang Dalom", "Wates", "Tanjung Raya"]  # fmt: skip


@pytest.fixture
def world(transactional_db, live_server):
    world = build_world()
    district = UnitFactory(region=world.region, name="Kecamatan Balik Bukit", short_name="", kind=Unit.Kind.DISTRICT)
    for name in PEKON:
        UnitFactory(region=world.region, name=f"Pekon {name}", short_name="", kind=Unit.Kind.VILLAGE, parent=district)
    world.district = district
    return world


def test_a_unit_is_found_by_typing_and_the_list_is_grouped_by_kind(page, world):
    sign_in(page, world.user(Role.ADMIN).email)
    page.goto("/organisasi/pejabat/baru/")
    select = page.locator("select#id_unit")
    groups = select.locator("optgroup").evaluate_all("groups => groups.map(g => g.label)")
    assert "Kecamatan" in groups and "Kelurahan/Desa" in groups
    search = page.get_by_label("Ketik untuk mencari di daftar di bawah")
    search.fill("sukama")
    visible = select.locator("option:not([hidden])").evaluate_all("options => options.map(o => o.textContent)")
    assert visible == ["Pekon Sukamaju · Kecamatan Balik Bukit"]
    search.press("Enter")
    assert select.evaluate("s => s.options[s.selectedIndex].textContent") == "Pekon Sukamaju · Kecamatan Balik Bukit"
    # The kecamatan's name finds its pekon too (the parent is part of each name).
    search.fill("balik bukit empulau")
    visible = select.locator("option:not([hidden])").evaluate_all("options => options.map(o => o.textContent)")
    assert visible == ["Pekon Way Empulau Ulu · Kecamatan Balik Bukit"]


def test_participants_are_chosen_by_search_and_by_unit(page, world):
    pekon = Unit.objects.get(name="Pekon Watas")
    staff = [OfficialFactory(region=world.region, name=f"Peratin Watas {n}") for n in range(3)]
    for official in staff:
        AssignmentFactory(official=official, unit=pekon, position="Staf Pekon")
    OfficialFactory(region=world.region, name="Sri Wahyuni")
    event = EventFactory(region=world.region, organiser=world.unit)
    sign_in(page, world.user(Role.ADMIN).email)
    page.goto(f"/kegiatan/{event.pk}/peserta/")
    assert page.locator("#id_officials input[type=checkbox]").count() >= 4  # no multi-select
    search = page.get_by_label("Ketik untuk mencari di daftar di bawah").first
    search.fill("wahyuni")
    page.get_by_label("Sri Wahyuni", exact=False).check()
    search.fill("")  # everything shows again, group by group
    expect(page.get_by_label("Sri Wahyuni")).to_be_checked()
    page.get_by_role("button", name="Pilih semua yang tampil: Pekon Watas").click()
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    expect(page.get_by_text("4 peserta ditambahkan.")).to_be_visible()
    names = set(Registration.objects.filter(event=event).values_list("official__name", flat=True))
    assert names == {"Sri Wahyuni", *(official.name for official in staff)}

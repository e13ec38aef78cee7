"""Browser journeys: a participant on a 360 px phone finds the code on their ticket and checks in
at the door (the same code is refused the second time; the committee sees the count grow); a
visitor finds a public event and registers after signing in; a unit operator registers colleagues."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.core.roles import Role
from lumbung.events.models import Event, Registration

from .factories import EventFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_checks_in_on_a_phone(world, live_server, page, phone_page):
    now = timezone.now()
    event = EventFactory(
        region=world.region, organiser=world.unit, status=Event.Status.RUNNING, title="Lokakarya Unggah Data Dukung",
        starts_at=now - dt.timedelta(minutes=20), ends_at=now + dt.timedelta(hours=5),
    )  # fmt: skip
    innovator = world.user(Role.INNOVATOR)
    mine = RegistrationFactory(event=event, user=innovator, name=innovator.full_name)
    guest = RegistrationFactory(event=event, name="Hj. Siti Aminah")

    # On the phone: the home page shows the event with its code, the ticket shows it large.
    sign_in(phone_page, innovator.email)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.get_by_role("link", name="Lokakarya Unggah Data Dukung").click()
    expect(phone_page.locator(".ticket-code")).to_have_text(mine.display_code)
    expect(phone_page.get_by_role("img", name=f"Kode QR presensi {mine.display_code}")).to_be_visible()

    # At the door the participant types the code in lower case, with the dash.
    phone_page.get_by_role("link", name="Buka halaman presensi").click()
    phone_page.get_by_label("Kode presensi").fill(mine.display_code.lower())
    phone_page.get_by_role("button", name="Catat kehadiran").click()
    expect(phone_page.get_by_role("status")).to_contain_text("Kehadiran tercatat")
    expect(phone_page.get_by_role("status")).to_contain_text(innovator.full_name)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360

    # The same code a second time is refused with the reason.
    phone_page.get_by_label("Kode presensi").fill(mine.code)
    phone_page.get_by_role("button", name="Catat kehadiran").click()
    expect(phone_page.get_by_role("alert")).to_contain_text("sudah dipakai")

    # The committee scans a guest's QR code: one tap confirms.
    page.goto(f"/kegiatan/presensi/{guest.code}/")
    expect(page.get_by_text("Hj. Siti Aminah")).to_be_visible()
    page.get_by_role("button", name="Catat kehadiran").click()
    expect(page.get_by_role("status")).to_contain_text("Kehadiran tercatat")

    # The admin's door screen counts both.
    sign_in(page, world.user(Role.ADMIN).email)
    page.goto(f"/kegiatan/{event.pk}/pintu/")
    expect(page.locator("#door-status .stat.ok strong")).to_have_text("2")
    methods = dict(Registration.objects.values_list("name", "check_in_method"))
    assert methods == {innovator.full_name: "code", "Hj. Siti Aminah": "qr"}


def test_a_visitor_finds_a_public_event_signs_in_and_registers(world, live_server, phone_page):
    event = EventFactory(
        region=world.region, organiser=world.unit, audience=Event.Audience.PUBLIC, capacity=50,
        title="Sosialisasi Posyandu Kebun di Pekon Way Mengaku", venue="Balai Pekon Way Mengaku",
    )  # fmt: skip
    citizen = world.user(Role.CITIZEN)

    # From the innovation showcase to the open events, without an account.
    phone_page.goto(f"/publik/{world.region.code}/")
    phone_page.get_by_role("link", name="Kegiatan terbuka").click()
    phone_page.get_by_role("link", name="Sosialisasi Posyandu Kebun di Pekon Way Mengaku").click()
    expect(phone_page.get_by_text("Masih ada 50 tempat.")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360

    # Signing in leads straight back to the event, where the registration form waits.
    phone_page.get_by_role("link", name="Masuk untuk mendaftar").click()
    phone_page.get_by_label("Surel").fill(citizen.email)
    phone_page.locator("#id_password").fill("kata-sandi-uji-123")
    phone_page.get_by_role("button", name="Masuk").click()
    phone_page.wait_for_url(f"**/kegiatan/{event.pk}/")
    phone_page.get_by_label("Instansi, unit kerja atau komunitas").fill("Kelompok Wanita Tani Melati")
    phone_page.get_by_role("button", name="Daftar", exact=True).click()
    registration = Registration.objects.get(event=event, user=citizen)
    expect(phone_page.locator(".ticket-code")).to_have_text(registration.display_code)


def test_an_operator_registers_colleagues_of_the_unit(world, live_server, page):
    event = EventFactory(region=world.region, organiser=world.sibling_unit, title="Bimtek Rancang Bangun Inovasi")
    sign_in(page, world.user(Role.OPERATOR).email)
    page.goto(f"/kegiatan/{event.pk}/")
    page.get_by_role("link", name="Daftarkan pegawai unit Anda").click()
    page.get_by_label(re.compile(re.escape(world.official.name))).check()
    page.get_by_role("button", name="Daftarkan").click()
    expect(page.get_by_text("1 pegawai didaftarkan.")).to_be_visible()
    expect(page.get_by_role("link", name="Tiket dan kode")).to_be_visible()
    registration = Registration.objects.get(event=event)
    assert registration.official == world.official and registration.registered_by == world.user(Role.OPERATOR)

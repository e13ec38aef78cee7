"""Browser journey: a citizen asks the clinic for help on a phone, the admin triages, the mentor
plans a session, answers and sets an action item, the citizen replies and ticks it off, and the
mentor resolves the case."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.clinic.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/")


def test_a_citizen_asks_the_clinic_and_a_mentor_answers(world, live_server, page, phone_page):
    citizen, admin, mentor = world.user("citizen"), world.user("admin"), world.user("mentor")

    # The citizen, on a phone, asks from the home page.
    sign_in(phone_page, citizen.email)
    phone_page.get_by_role("link", name="Minta pendampingan").click()
    phone_page.get_by_label("Apa yang ingin Anda capai?").fill(
        "Ide bank sampah pekon: tukar plastik dengan token listrik"
    )
    phone_page.get_by_label("Jenis bantuan").select_option(label="Mematangkan ide inovasi")
    phone_page.get_by_label("Ceritakan kebutuhan Anda").fill("Sampah plastik di pekon kami banyak dibakar warga.")
    phone_page.get_by_label("Bentuk pendampingan yang diinginkan").select_option(label="Tatap muka")
    phone_page.get_by_label("Nomor HP/WhatsApp").fill("081279001234")
    phone_page.get_by_role("button", name="Kirim permintaan").click()
    expect(phone_page.locator(".messages")).to_contain_text("Permintaan terkirim dengan nomor KLN-")
    expect(phone_page.locator(".page-head")).to_contain_text("Baru")
    case = Case.objects.get()
    case_url = f"/klinik/kasus/{case.pk}/"

    # The admin triages it from the queue.
    sign_in(page, admin.email)
    page.goto("/klinik/kasus/")
    page.get_by_role("row", name=case.reference).get_by_role("link", name="Triase").click()
    page.get_by_label("Prioritas").select_option(label="Tinggi")
    page.locator("#id_mentor").select_option(label=mentor.full_name)
    page.get_by_role("button", name="Simpan dan serahkan ke mentor").click()
    expect(page.locator(".page-head")).to_contain_text("Sudah ditriase")
    sign_out(page)

    # The mentor finds it in the case load, plans a session, answers and sets an action item.
    sign_in(page, mentor.email)
    page.get_by_role("link", name="Lihat beban kasus").click()
    page.get_by_role("link", name=case.title).click()
    page.get_by_role("link", name="Jadwalkan sesi").click()
    page.get_by_label("Bentuk").select_option(label="Tatap muka")
    page.get_by_label("Waktu").fill((timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Tempat atau tautan rapat").fill("Balai Pekon Way Mengaku")
    page.get_by_role("button", name="Simpan sesi").click()
    expect(page.locator(".page-head")).to_contain_text("Dalam pendampingan")
    page.get_by_label("Pesan").fill("Ide yang bagus, Bu. Kita bahas di balai pekon hari Sabtu.")
    page.get_by_role("button", name="Kirim pesan").click()
    expect(page.locator(".conversation")).to_contain_text("Ide yang bagus")
    page.get_by_role("link", name="Tambah tindak lanjut").click()
    page.get_by_label("Tindak lanjut").fill("Tulis uraian masalah dan sasaran satu halaman")
    page.locator("#id_owner").select_option(label=citizen.full_name)
    page.get_by_label("Tenggat").fill((timezone.localdate() + dt.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#tindak-lanjut")).to_contain_text("Tulis uraian masalah")
    page.locator("#note-ask").fill("Mohon kirim uraian masalah sebelum sesi.")
    page.get_by_role("button", name="Minta pemohon melengkapi").click()
    expect(page.locator(".page-head")).to_contain_text("Menunggu pemohon")

    # The citizen reads the answer on the phone, replies and ticks off the action item.
    phone_page.goto(case_url)
    expect(phone_page.locator(".conversation")).to_contain_text("Ide yang bagus")
    expect(phone_page.locator("#sesi")).to_contain_text("Balai Pekon Way Mengaku")
    phone_page.get_by_label("Pesan").fill("Uraian masalah sudah saya tulis, terlampir di bawah.")
    phone_page.get_by_role("button", name="Kirim pesan").click()
    expect(phone_page.locator(".page-head")).to_contain_text("Dalam pendampingan")
    phone_page.locator("#tindak-lanjut").get_by_role("button", name="Selesai").click()
    expect(phone_page.locator("#tindak-lanjut")).to_contain_text("Selesai")

    # The mentor sees the reply and resolves the case.
    page.reload()
    expect(page.locator(".conversation")).to_contain_text("Uraian masalah sudah saya tulis")
    page.locator("#note-resolve").fill("Ide sudah dirumuskan; diteruskan ke DLH untuk uji coba.")
    page.get_by_role("button", name="Tandai selesai ditangani").click()
    expect(page.locator(".page-head")).to_contain_text("Selesai ditangani")
    assert [e.action for e in Case.objects.get().events.all()] == [
        "request",
        "triage",
        "start",
        "ask",
        "respond",
        "resolve",
    ]

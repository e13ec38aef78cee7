"""Browser journey of the verifier's desk on a phone: rows decided one after another without a
page load (a marker set on the window survives every decision), a refusal shown in place with the
typed note kept, the filter and the address following the row, and a reload showing that row."""

import re

import pytest
from playwright.sync_api import expect

from conftest import htmx_settled, sign_in
from lumbung.assessment import services
from lumbung.assessment.models import Answer, AnswerEvent, RowStatus
from lumbung.core.roles import Role

from .factories import InnovationFactory, claim_with_evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _claimed_row(world, assessment, admin, operator, name):
    innovation = InnovationFactory(region=world.region, unit=world.unit, name=name)
    entry = services.entry_add(assessment=assessment, innovation=innovation, actor=admin)
    row = entry.answers.select_related("indicator", "entry__assessment").get(indicator__code="16")
    claim_with_evidence(row, actor=operator, level=2, title=f"SK Tim {name}", year=2026)
    return row


def test_a_verifier_decides_rows_in_a_row_without_a_page_load(world, live_server, phone_page, year_2026):
    page = phone_page
    admin, operator, verifier = world.user(Role.ADMIN), world.user(Role.OPERATOR), world.user(Role.VERIFIER)
    rows = [_claimed_row(world, year_2026, admin, operator, f"Inovasi Meja {index}") for index in range(4)]
    _claimed_row(world, year_2026, admin, operator, "Posyandu Remaja")  # outside the filter

    sign_in(page, verifier.email)
    page.goto(f"/penilaian/{year_2026.pk}/verifikasi/meja/?inovasi=Meja")
    queue, status = page.locator("#desk-queue-title"), page.locator("#desk-status")
    expect(queue).to_have_text("4 baris menunggu")
    page.evaluate("window.deskMarker = 'halaman yang sama'")  # gone if the page were loaded again
    accept = page.locator("#desk-verdict button[value=accept]")
    reject = page.locator("#desk-verdict button[value=reject]")

    # First row: sesuai.
    expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 0")
    accept.click()
    htmx_settled(page)
    expect(status).to_contain_text("16 · Inovasi Meja 0: Sesuai.")
    expect(queue).to_have_text("3 baris menunggu")
    expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 1")
    expect(page.locator("#desk-row-title")).to_be_focused()

    # Second row: tidak sesuai without a reason is refused in place; the note typed stays.
    page.get_by_label("Catatan untuk perangkat daerah").fill("SK bertahun 2021, bukan 2024–2026")
    reject.click()
    htmx_settled(page)
    expect(page.locator(".desk-decision")).to_contain_text("Pilih alasan ketidaksesuaian.")
    expect(status).to_contain_text("Keputusan belum disimpan")
    expect(page.get_by_label("Catatan untuk perangkat daerah")).to_have_value("SK bertahun 2021, bukan 2024–2026")
    expect(queue).to_have_text("3 baris menunggu")
    page.get_by_label("Alasan bila tidak sesuai").select_option("wrong_year")
    reject.click()
    htmx_settled(page)
    expect(status).to_contain_text("16 · Inovasi Meja 1: Tidak sesuai.")
    expect(queue).to_have_text("2 baris menunggu")

    # Third row: sesuai.
    expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 2")
    accept.click()
    htmx_settled(page)
    expect(status).to_contain_text("16 · Inovasi Meja 2: Sesuai.")
    expect(queue).to_have_text("1 baris menunggu")
    expect(page.locator(".desk-queue")).not_to_contain_text("Posyandu Remaja")  # the filter held

    assert page.evaluate("window.deskMarker") == "halaman yang sama"  # three decisions, no page load
    expect(page).to_have_url(re.compile(r".*/verifikasi/meja/\?inovasi=Meja$"))
    page.reload()
    expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 3")
    expect(page.locator("#desk-queue-title")).to_have_text("1 baris menunggu")
    expect(page.get_by_label("Nama inovasi")).to_have_value("Meja")

    statuses = dict(Answer.objects.filter(pk__in=[row.pk for row in rows]).values_list("pk", "status"))
    assert [statuses[row.pk] for row in rows] == [
        RowStatus.ACCEPTED, RowStatus.REJECTED, RowStatus.ACCEPTED, RowStatus.CLAIMED,
    ]  # fmt: skip
    events = AnswerEvent.objects.filter(actor=verifier, action__in=["accept", "reject"]).order_by("created_at")
    assert [(event.answer_id, event.action) for event in events] == [
        (rows[0].pk, "accept"), (rows[1].pk, "reject"), (rows[2].pk, "accept"),
    ]  # fmt: skip
    assert events[1].note == "SK bertahun 2021, bukan 2024–2026"


def test_back_after_a_decision_that_moved_the_address_loads_the_desk_afresh(world, live_server, page, year_2026):
    admin, operator, verifier = world.user(Role.ADMIN), world.user(Role.OPERATOR), world.user(Role.VERIFIER)
    for index in range(2):
        _claimed_row(world, year_2026, admin, operator, f"Inovasi Meja {index}")
    desk = f"/penilaian/{year_2026.pk}/verifikasi/meja/"
    sign_in(page, verifier.email)
    page.goto(f"{desk}?pos=1")
    expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 1")
    page.evaluate("window.deskMarker = 'halaman yang sama'")
    page.locator("#desk-verdict button[value=accept]").click()  # the last row: the desk moves up to row 1
    htmx_settled(page)
    expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 0")
    expect(page).to_have_url(re.compile(rf".*{desk}$"))  # pushed: ?pos=1 is past the end now
    assert page.evaluate("window.deskMarker") == "halaman yang sama"

    page.go_back()
    expect(page).to_have_url(re.compile(rf".*{desk}\?pos=1$"))
    page.wait_for_function("() => window.deskMarker === undefined")  # loaded whole, not swapped
    expect(page.locator("#desk-queue-title")).to_have_text("1 baris menunggu")  # as it is now
    expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 0")
    assert page.locator("script[src*='htmx']").count() == 1


def _back_and_reloaded(page) -> None:
    """Back, and wait until the page was loaded afresh: htmx reloads a desk it does not keep in the
    browser's history, and a second Back while that reload is under way would abort it."""
    page.evaluate("document.body.dataset.beforeBack = 'ya'")
    page.go_back()
    expect(page.locator("body[data-before-back]")).to_have_count(0)
    page.wait_for_load_state("load")


def test_skip_previous_and_the_side_list_swap_the_desk_and_back_returns_the_row_before(
    world, live_server, page, year_2026
):
    admin, operator, verifier = world.user(Role.ADMIN), world.user(Role.OPERATOR), world.user(Role.VERIFIER)
    for index in range(4):
        _claimed_row(world, year_2026, admin, operator, f"Inovasi Meja {index}")
    _claimed_row(world, year_2026, admin, operator, "Posyandu Remaja")  # outside the filter
    desk = f"/penilaian/{year_2026.pk}/verifikasi/meja/"
    sign_in(page, verifier.email)
    page.goto(f"{desk}?inovasi=Meja")
    title, status = page.locator("#desk-row-title"), page.locator("#desk-status")
    expect(title).to_contain_text("Inovasi Meja 0")
    page.evaluate("window.deskMarker = 'halaman yang sama'")  # gone if the page were loaded again

    page.get_by_role("link", name="Lewati, berikutnya").click()  # skip
    htmx_settled(page)
    expect(title).to_contain_text("Inovasi Meja 1")
    expect(title).to_be_focused()
    expect(status).to_have_text("Baris 2 dari 4.")
    expect(page).to_have_url(re.compile(rf".*{desk}\?inovasi=Meja&pos=1$"))

    page.keyboard.press("n")  # skip again, by its key
    htmx_settled(page)
    expect(title).to_contain_text("Inovasi Meja 2")
    expect(page).to_have_url(re.compile(r".*\?inovasi=Meja&pos=2$"))

    page.locator(".desk-nav a[rel=prev]").click()  # previous
    htmx_settled(page)
    expect(title).to_contain_text("Inovasi Meja 1")
    expect(title).to_be_focused()
    expect(page).to_have_url(re.compile(r".*\?inovasi=Meja&pos=1$"))

    page.locator(".desk-list a", has_text="Inovasi Meja 3").click()  # a row of the side list
    htmx_settled(page)
    expect(title).to_contain_text("Inovasi Meja 3")
    expect(title).to_be_focused()
    expect(status).to_have_text("Baris 4 dari 4.")
    expect(page.locator(".desk-list li[aria-current=true]")).to_contain_text("Inovasi Meja 3")
    expect(page.locator(".desk-queue")).not_to_contain_text("Posyandu Remaja")  # the filter held
    expect(page).to_have_url(re.compile(r".*\?inovasi=Meja&pos=3$"))
    assert page.evaluate("window.deskMarker") == "halaman yang sama"  # three moves, no page load
    assert page.locator("#desk").count() == 1 and page.locator("script[src*='htmx']").count() == 1

    # A decision still goes from a desk that arrived by a move.
    page.locator("#desk-verdict button[value=accept]").click()
    htmx_settled(page)
    expect(status).to_contain_text("16 · Inovasi Meja 3: Sesuai.")
    expect(page.locator("#desk-queue-title")).to_have_text("3 baris menunggu")
    expect(title).to_contain_text("Inovasi Meja 2")  # the last row decided: the desk moves up a row

    # Back: the address before, and its row (the desk is never kept in the browser: loaded afresh).
    _back_and_reloaded(page)
    expect(page).to_have_url(re.compile(r".*\?inovasi=Meja&pos=3$"))
    _back_and_reloaded(page)
    expect(page).to_have_url(re.compile(r".*\?inovasi=Meja&pos=1$"))
    expect(title).to_contain_text("Inovasi Meja 1")
    expect(page.locator("#desk-queue-title")).to_have_text("3 baris menunggu")  # as it is now
    _back_and_reloaded(page)
    expect(page).to_have_url(re.compile(r".*\?inovasi=Meja&pos=2$"))
    expect(title).to_contain_text("Inovasi Meja 2")
    assert page.locator("script[src*='htmx']").count() == 1


def test_a_ctrl_click_on_a_row_of_the_side_list_opens_it_in_a_new_tab(world, live_server, page, year_2026):
    admin, operator, verifier = world.user(Role.ADMIN), world.user(Role.OPERATOR), world.user(Role.VERIFIER)
    for index in range(2):
        _claimed_row(world, year_2026, admin, operator, f"Inovasi Meja {index}")
    sign_in(page, verifier.email)
    page.goto(f"/penilaian/{year_2026.pk}/verifikasi/meja/")
    with page.context.expect_page() as opened:
        page.locator(".desk-list a", has_text="Inovasi Meja 1").click(modifiers=["Control"])
    tab = opened.value
    expect(tab.locator("#desk-row-title")).to_contain_text("Inovasi Meja 1")
    expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 0")  # this tab stays on its row


def test_without_javascript_the_links_load_the_row_as_a_page(world, live_server, chromium, year_2026):
    admin, operator, verifier = world.user(Role.ADMIN), world.user(Role.OPERATOR), world.user(Role.VERIFIER)
    for index in range(3):
        _claimed_row(world, year_2026, admin, operator, f"Inovasi Meja {index}")
    context = chromium.new_context(locale="id-ID", java_script_enabled=False, base_url=live_server.url)
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        sign_in(page, verifier.email)
        page.goto(f"/penilaian/{year_2026.pk}/verifikasi/meja/")
        page.get_by_role("link", name="Lewati, berikutnya").click()
        expect(page).to_have_url(re.compile(r".*/verifikasi/meja/\?pos=1$"))
        expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 1")
        page.locator(".desk-list a", has_text="Inovasi Meja 2").click()
        expect(page).to_have_url(re.compile(r".*/verifikasi/meja/\?pos=2$"))
        expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 2")
        page.locator(".desk-nav a[rel=prev]").click()
        expect(page.locator("#desk-row-title")).to_contain_text("Inovasi Meja 1")
        expect(page.locator("#desk-filters, form.desk-filters")).to_have_count(1)  # each one a whole page
    finally:
        context.close()


def test_a_move_that_gets_no_desk_back_says_so_or_loads_the_page(world, live_server, page, year_2026):
    admin, operator, verifier = world.user(Role.ADMIN), world.user(Role.OPERATOR), world.user(Role.VERIFIER)
    for index in range(3):
        _claimed_row(world, year_2026, admin, operator, f"Inovasi Meja {index}")
    desk = f"/penilaian/{year_2026.pk}/verifikasi/meja/"
    sign_in(page, verifier.email)
    page.goto(desk)
    title, status = page.locator("#desk-row-title"), page.locator("#desk-status")

    # No connection: the desk stays on its row and the live region says why nothing moved.
    page.context.set_offline(True)
    page.get_by_role("link", name="Lewati, berikutnya").click()
    htmx_settled(page)
    expect(status).to_have_text("Baris itu belum terbuka: sambungan terputus. Coba lagi.")
    expect(title).to_contain_text("Inovasi Meja 0")
    page.context.set_offline(False)

    # Signed out meanwhile: the sign-in page comes as a page, never inside the desk, and leads back.
    page.context.clear_cookies()
    page.evaluate("window.deskMarker = 'halaman yang sama'")
    page.locator(".desk-list a", has_text="Inovasi Meja 2").click()
    page.wait_for_function("() => window.deskMarker === undefined")  # loaded whole, not swapped in
    expect(page).to_have_url(re.compile(r".*/akun/masuk/\?next=.*"))
    expect(page.locator("#desk")).to_have_count(0)
    expect(page.locator("header.site-header")).to_have_count(1)
    assert "pos%3D2" in page.url or "pos=2" in page.url

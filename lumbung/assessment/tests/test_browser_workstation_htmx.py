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

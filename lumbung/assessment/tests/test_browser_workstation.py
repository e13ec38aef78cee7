"""Browser journeys of the verifier workstation and the evidence pre-check, on the 2026
methodology as shipped: a verifier decides ten rows in a row with the keyboard without leaving
the workstation; an operator uploads a decree of a wrong year and sees the pre-check's warning
before submitting the claim."""

import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from conftest import htmx_settled, sign_in
from lumbung.assessment import evidence, services
from lumbung.assessment.models import AnswerEvent, RowStatus
from lumbung.core.roles import Role

from . import evidence_samples as samples
from .factories import InnovationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _decree(year: int, seed: int = 1) -> samples.Sample:
    """A typed decree of `year` (its date and innovation drawn from `seed`: another checksum)."""
    sample = samples.Sample(
        name="sk", kind="decree", scanned=False, content_year=year, typed_year=year,
        typed_number=f"188.45/{100 + seed}/II.05/{year}",
    )  # fmt: skip
    return samples.build(sample, random.Random(seed))


def test_a_verifier_decides_ten_rows_in_a_row_from_the_workstation(world, live_server, page, year_2026):
    admin, operator, verifier = world.user(Role.ADMIN), world.user(Role.OPERATOR), world.user(Role.VERIFIER)
    rows = []
    for index in range(10):
        innovation = InnovationFactory(region=world.region, unit=world.unit, name=f"Inovasi Meja {index:02d}")
        entry = services.entry_add(assessment=year_2026, innovation=innovation, actor=admin)
        row = entry.answers.select_related("indicator", "entry__assessment").get(indicator__code="16")
        services.answer_set(row=row, level=2, actor=operator)
        decree = _decree(2026, seed=index)
        evidence.evidence_upload(
            row=row, actor=operator, title=f"SK Tim Inovasi {index:02d}", year=2026, number=decree.typed_number,
            file=SimpleUploadedFile(f"sk-{index}.pdf", decree.data, "application/pdf"),
        )  # fmt: skip
        rows.append(row)

    sign_in(page, verifier.email)
    page.goto(f"/penilaian/{year_2026.pk}/verifikasi/")
    page.get_by_role("link", name="Buka meja verifikasi").click()
    desk = re.compile(rf".*/penilaian/{year_2026.pk}/verifikasi/meja/.*")
    expect(page).to_have_url(desk)
    expect(page.locator("#desk-queue-title")).to_have_text("10 baris menunggu")
    expect(page.locator(".desk-evidence img.page-image").first).to_be_visible()
    expect(page.locator(".desk-evidence")).to_contain_text("Lolos pra-periksa otomatis.")

    for done in range(1, 11):
        heading = page.locator("#desk-row-title")
        expect(heading).to_contain_text("Inovasi Meja")
        if done % 4 == 0:  # every fourth: tidak sesuai, reason 3 (wrong year) by its number, then t
            page.keyboard.press("3")
            expect(page.locator("#id_verdict_reason")).to_have_value("wrong_year")
            page.keyboard.press("t")
        else:
            page.keyboard.press("s")
        expect(page.locator("#desk-queue-title") if done < 10 else page.locator(".desk-main")).to_contain_text(
            f"{10 - done} baris menunggu" if done < 10 else "Semua baris yang diklaim sudah diputuskan."
        )
        expect(page).to_have_url(desk)  # never left the workstation

    statuses = sorted(row.__class__.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True))
    assert statuses.count(RowStatus.ACCEPTED) == 8 and statuses.count(RowStatus.REJECTED) == 2
    assert AnswerEvent.objects.filter(actor=verifier, action__in=["accept", "reject"]).count() == 10


def test_an_operator_sees_a_wrong_year_warning_before_submitting(world, live_server, page, year_2026):
    admin, operator = world.user(Role.ADMIN), world.user(Role.OPERATOR)
    innovation = InnovationFactory(region=world.region, unit=world.unit, name="Lambar Satu Data")
    entry = services.entry_add(assessment=year_2026, innovation=innovation, actor=admin)
    row = entry.answers.get(indicator__code="16")
    old = _decree(2021)  # a decree of 2021, filed as if it were of 2026

    sign_in(page, operator.email)
    page.goto(f"/penilaian/baris/inovasi/{row.pk}/")
    upload = page.locator(f"form[action='/penilaian/baris/inovasi/{row.pk}/unggah/']")
    upload.get_by_label("Judul dokumen").fill("SK Tim Inovasi Lambar Satu Data")
    upload.get_by_label("Tahun").fill("2026")
    upload.get_by_label("Berkas").set_input_files(
        files=[{"name": "sk-tim.pdf", "mimeType": "application/pdf", "buffer": old.data}]
    )
    upload.get_by_role("button", name="Unggah dan lampirkan").click()
    expect(page.locator(".messages")).to_contain_text("Eviden diunggah dan dilampirkan.")
    htmx_settled(page)  # the findings panel polls while the check runs

    warning = page.locator("#answer-title").locator("xpath=..").locator(".message.warning")
    expect(warning).to_contain_text("Pra-periksa otomatis menemukan")
    panel = page.locator("#row-precheck")
    expect(panel).to_contain_text("Isi dokumen menyebut tahun 2021, tetapi tahun yang diisi 2026.")
    expect(panel).to_contain_text("Dokumen bertahun 2021; ketentuan baris ini meminta tahun 2024, 2025, 2026.")
    row.refresh_from_db()
    assert row.status == RowStatus.MISSING  # nothing submitted yet: the warning came first

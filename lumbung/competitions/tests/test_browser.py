"""Browser journeys: a citizen enters on a phone; a judge scores; the admin publishes and issues
certificates; the citizen downloads the certificate and checks it on the verification page."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.competitions.models import Competition, Entry, JudgeAssignment, Panel, Round, Track
from lumbung.competitions.phases import PhaseKind
from lumbung.core.roles import Role
from lumbung.core.tests.uploads import PDF as VALID_PDF
from lumbung.innovations.models import GovernmentAffair

from .factories import CompetitionFactory, RubricFactory, SectionFactory, make_competition, sent_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = VALID_PDF  # a PDF a reader opens: uploads are parsed (issue 12)


def sign_out(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/")


def test_a_citizen_enters_on_a_phone(world, live_server, phone_page, citizen, reference_data, tmp_path):
    competition = make_competition(region=world.region, created_by=world.user("admin"), phase="submission",
                                   title="Lomba Inovasi Masyarakat Lampung Barat 2026")  # fmt: skip
    sign_in(phone_page, citizen.email)
    phone_page.goto("/lomba/")
    phone_page.get_by_role("link", name=competition.title).click()
    phone_page.get_by_role("link", name="Tulis proposal").click()
    phone_page.get_by_label("Judul inovasi").fill("Kebun Gizi Pekon")
    phone_page.get_by_role("button", name="Mulai menulis").click()
    expect(phone_page.locator(".messages")).to_contain_text("Draf proposal dibuat")

    phone_page.get_by_label("Bagian 1").fill("Kebun gizi di halaman balai pekon untuk keluarga dengan balita.")
    phone_page.get_by_label("Bagian 2").fill("Sayur dan telur untuk 40 keluarga setiap pekan.")
    phone_page.get_by_label("Nomor HP/WhatsApp").fill("081279001234")
    phone_page.get_by_label("Urusan pemerintahan terkait").select_option(label="Kesehatan")
    # Saved as typed: wait for the save that carries the ticked consent (earlier saves may be in flight).
    with phone_page.expect_response(
        lambda response: (
            "simpan-otomatis" in response.url and "publish_consent=on" in (response.request.post_data or "")
        )
    ):
        phone_page.get_by_label("Saya menyatakan proposal ini karya sendiri", exact=False).check()
    expect(phone_page.locator("#autosave-status")).to_contain_text("Tersimpan otomatis")
    entry = Entry.objects.get(title="Kebun Gizi Pekon")
    assert entry.publish_consent and entry.answer(competition.sections.first()).startswith("Kebun gizi")

    upload = tmp_path / "foto-kebun.pdf"
    upload.write_bytes(PDF)
    phone_page.get_by_label("Berkas").set_input_files(str(upload))
    phone_page.get_by_role("button", name="Unggah lampiran").click()
    expect(phone_page.locator(".messages")).to_contain_text("Lampiran ditambahkan")
    # What was typed before the upload is still there (saved as it was typed).
    expect(phone_page.get_by_label("Bagian 2")).to_have_value("Sayur dan telur untuk 40 keluarga setiap pekan.")

    phone_page.get_by_role("button", name="Simpan dan kirim proposal").click()
    expect(phone_page.locator("h1")).to_contain_text("Tanda terima proposal")
    entry.refresh_from_db()
    expect(phone_page.locator(".receipt .message.success")).to_contain_text(entry.receipt_code)
    assert entry.status == Entry.Status.SUBMITTED
    assert any(entry.receipt_code in message.body for message in mail.outbox)


@pytest.fixture
def judging(world, citizen, reference_data):
    """A citizen competition whose only scoring round is open now, with the citizen's proposal
    assigned to the region's judge."""
    admin = world.user(Role.ADMIN)
    now = timezone.now()
    competition = CompetitionFactory(region=world.region, created_by=admin, tracks=[Track.CITIZENS],
                                     title="Lomba Inovasi Masyarakat 2026", judges_per_entry=1)  # fmt: skip
    days = dt.timedelta(days=1)
    for order, (kind, opens, closes) in enumerate(
        [(PhaseKind.SUBMISSION, -20, -10), (PhaseKind.SCREENING, -10, -2), (PhaseKind.DESK, -1, 5)], start=1
    ):
        Round.objects.create(competition=competition, kind=kind, order=order, opens_at=now + opens * days,
                             closes_at=now + closes * days, weight=100 if kind == PhaseKind.DESK else 0,
                             rubric=RubricFactory(region=world.region, created_by=admin, weights=(60, 40))
                             if kind == PhaseKind.DESK else None)  # fmt: skip
    SectionFactory(competition=competition, title="Ringkasan")
    desk = competition.round_of_kind(PhaseKind.DESK)
    entry = sent_entry(competition, entrant=citizen, title="Kebun Gizi Pekon", status=Entry.Status.ELIGIBLE,
                       reached=desk, affair=GovernmentAffair.objects.get(code="kesehatan"))  # fmt: skip
    panel = Panel.objects.create(round=desk, name="Panel", lead=world.user(Role.JUDGE))
    panel.members.set([world.user(Role.JUDGE)])
    JudgeAssignment.objects.create(round=desk, entry=entry, judge=world.user(Role.JUDGE), panel=panel)
    return competition, entry


def test_a_judge_scores_the_admin_publishes_and_the_citizen_verifies_the_certificate(
    world, live_server, page, judging, tmp_path
):
    competition, entry = judging
    # The judge scores from the list of assignments.
    sign_in(page, world.user(Role.JUDGE).email)
    page.goto("/lomba/juri/")
    page.get_by_role("link", name="#001 Kebun Gizi Pekon").click()
    page.get_by_label("5", exact=True).first.check()
    page.locator("input[type=radio][value='4']").nth(1).check()
    page.get_by_label("Catatan umum untuk proposal ini").fill("Layak menjadi juara; data manfaat jelas.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kirim nilai").click()
    expect(page.locator(".messages")).to_contain_text("Nilai dikirim")
    sign_out(page)

    # The round closes; the admin publishes the results and issues the certificates.
    Round.objects.filter(competition=competition, kind=PhaseKind.DESK).update(closes_at=timezone.now())
    sign_in(page, world.user(Role.ADMIN).email)
    page.goto(f"/lomba/kelola/{competition.pk}/hasil/")
    expect(page.locator("table")).to_contain_text("Kebun Gizi Pekon")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Umumkan hasil").click()
    expect(page.locator(".messages")).to_contain_text("Hasil diumumkan")
    page.get_by_role("button", name="Terbitkan sertifikat").click()
    expect(page.locator(".job-status")).to_contain_text("Selesai")
    assert Competition.objects.get(pk=competition.pk).status == Competition.Status.RESULTS
    sign_out(page)

    # The citizen downloads the certificate and checks it on the public verification page.
    sign_in(page, entry.entrant.email)
    page.goto(f"/lomba/proposal/{entry.pk}/")
    expect(page.locator(".result-card")).to_contain_text("Juara I")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh sertifikat (Penghargaan)").click()
    saved = tmp_path / "sertifikat.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Periksa keaslian").click()
    expect(page.locator(".message.success")).to_contain_text("asli dan berlaku")
    page.get_by_label("Berkas sertifikat (PDF)").set_input_files(str(saved))
    page.get_by_role("button", name="Cocokkan").click()
    expect(page.locator(".message.success").last).to_contain_text("Cocok")

"""Entering: starting (also from an innovation record), the checks before sending, numbering,
receipts, edits after sending, attachments."""

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lumbung.competitions import services
from lumbung.competitions.forms import AttachmentForm
from lumbung.competitions.models import Entry, Track
from lumbung.competitions.phases import PhaseKind
from lumbung.core.roles import Role
from lumbung.core.tests.uploads import PDF as VALID_PDF
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.notifications.models import Notification
from tests.factories import user_with_role

from .conftest import at

pytestmark = pytest.mark.django_db

OPEN = at(3, 15)
PDF = VALID_PDF  # a PDF a reader opens: uploads are parsed (issue 12)


def complete(entry: Entry, **changes) -> Entry:
    sections = list(entry.competition.sections.all())
    data = {"title": entry.title, "phone": "081234567890", "affair": entry.affair, "publish_consent": True, **changes}
    answers = {sections[0].key: "Kebun gizi di halaman balai pekon untuk keluarga dengan balita."}
    return services.entry_update(entry=entry, actor=entry.entrant, data=data, answers=answers)


@pytest.fixture
def draft(citizen, calendar_competition, reference_data):
    with time_machine.travel(OPEN, tick=False):
        entry = services.entry_start(
            competition=calendar_competition, actor=citizen, track=Track.CITIZENS, title="Kebun Gizi Pekon"
        )
    from lumbung.innovations.models import GovernmentAffair

    entry.affair = GovernmentAffair.objects.get(code="kesehatan")
    return entry


def test_an_incomplete_proposal_lists_everything_missing(draft):
    with time_machine.travel(OPEN, tick=False):
        services.entry_update(entry=draft, actor=draft.entrant, data={"phone": "", "affair": None}, answers={})
        problems = services.entry_problems(draft)
    assert problems == [
        "Bagian “Ringkasan” wajib diisi.",
        "Pilih urusan pemerintahan yang paling terkait dengan inovasi ini.",
        "Nomor HP/WhatsApp wajib diisi agar panitia dapat menghubungi Anda.",
        "Centang persetujuan pengumuman nama dan judul bila proposal Anda menjadi pemenang.",
    ]


def test_word_limits_are_checked_on_sending(draft):
    with time_machine.travel(OPEN, tick=False):
        complete(draft)
        key = draft.competition.sections.first().key
        services.entry_update(entry=draft, actor=draft.entrant, data={}, answers={key: "kata " * 21})
        with pytest.raises(ValidationError) as error:
            services.entry_submit(entry=draft, actor=draft.entrant)
    assert error.value.messages == ["Bagian “Ringkasan” berisi 21 kata; batasnya 20 kata."]
    assert Entry.objects.get(pk=draft.pk).status == Entry.Status.DRAFT


def test_sending_numbers_the_proposal_and_gives_a_receipt(draft, django_capture_on_commit_callbacks):
    with time_machine.travel(OPEN, tick=False), django_capture_on_commit_callbacks(execute=True):
        complete(draft)
        services.entry_submit(entry=draft, actor=draft.entrant)
    entry = Entry.objects.get(pk=draft.pk)
    assert (entry.status, entry.number, entry.submitted_at) == (Entry.Status.SUBMITTED, 1, OPEN)
    assert entry.receipt_code.startswith(f"L{entry.competition_id}-0001-")
    assert len(entry.content_sha256) == 64
    assert [m.to for m in mail.outbox] == [[entry.entrant.email]]
    assert entry.receipt_code in mail.outbox[0].body and entry.content_sha256 in mail.outbox[0].body
    assert Notification.objects.filter(recipient=entry.entrant, title__contains=entry.receipt_code).exists()
    assert entry.events.values_list("action", flat=True)[::1] == ["create", "submit"]


def test_one_title_once_and_one_proposal_per_entrant(draft, world, calendar_competition):
    with time_machine.travel(OPEN, tick=False):
        complete(draft)
        services.entry_submit(entry=draft, actor=draft.entrant)
        second = services.entry_start(competition=calendar_competition, actor=draft.entrant, track=Track.CITIZENS,
                                      title="kebun  gizi pekon")  # fmt: skip
        second.affair = draft.affair
        complete(second)
        with pytest.raises(ValidationError) as error:
            services.entry_submit(entry=second, actor=draft.entrant)
    assert error.value.messages == [
        "Judul ini sudah dipakai proposal lain di lomba ini; satu judul hanya boleh diajukan sekali.",
        "Setiap peserta hanya boleh mengirim 1 proposal ke lomba ini.",
    ]


def test_changes_after_sending_keep_it_complete_are_logged_and_get_a_new_receipt(
    draft, django_capture_on_commit_callbacks
):
    with time_machine.travel(OPEN, tick=False), django_capture_on_commit_callbacks(execute=True):
        complete(draft)
        services.entry_submit(entry=draft, actor=draft.entrant)
        first_hash = Entry.objects.get(pk=draft.pk).content_sha256
        entry = Entry.objects.get(pk=draft.pk)
        with pytest.raises(ValidationError):
            services.entry_update(entry=entry, actor=entry.entrant, data={}, answers={})  # emptied a required part
        entry = Entry.objects.get(pk=draft.pk)
        complete(entry, title="Kebun Gizi Pekon Sehat")
    entry = Entry.objects.get(pk=draft.pk)
    assert entry.title == "Kebun Gizi Pekon Sehat" and entry.content_sha256 != first_hash
    edit = entry.events.get(action="edit")
    assert edit.data["fields"] == ["title"] and edit.actor == entry.entrant
    assert len(mail.outbox) == 2 and "tanda terima yang baru" in mail.outbox[1].body


def test_an_attachment_is_checked_and_survives_a_failed_form(draft, citizen):
    good = SimpleUploadedFile("proposal.pdf", PDF, "application/pdf")
    form = AttachmentForm({"title": ""}, {"file": good}, upload_owner=citizen)
    assert form.is_valid()
    with time_machine.travel(OPEN, tick=False):
        attachment = services.attachment_add(entry=draft, actor=citizen, uploaded=form.cleaned_data["file"], title="")
    assert (attachment.title, attachment.size, len(attachment.sha256)) == ("proposal.pdf", len(PDF), 64)
    disguised = SimpleUploadedFile("foto.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    assert not AttachmentForm({}, {"file": disguised}, upload_owner=citizen).is_valid()


def test_an_operator_starts_from_the_units_innovation_record(world, calendar_competition, reference_data):
    calendar_competition.tracks = [Track.UNITS]
    calendar_competition.save()
    operator = world.user(Role.OPERATOR)
    innovation = InnovationFactory(region=world.region, unit=world.unit, name="Lambar Satu Data")
    foreign = InnovationFactory(region=world.region, unit=world.sibling_unit)
    with time_machine.travel(OPEN, tick=False):
        entry = services.entry_start(competition=calendar_competition, actor=operator, track=Track.UNITS, title="",
                                     unit=world.unit, innovation=innovation)  # fmt: skip
        with pytest.raises(ValidationError):
            services.entry_start(competition=calendar_competition, actor=operator, track=Track.UNITS, title="",
                                 unit=world.unit, innovation=foreign)  # fmt: skip
        with pytest.raises(ValidationError):
            services.entry_start(competition=calendar_competition, actor=operator, track=Track.UNITS, title="X",
                                 unit=world.sibling_unit)  # fmt: skip
    assert (entry.title, entry.unit, entry.entrant_name, entry.innovation) == (
        "Lambar Satu Data",
        world.unit,
        world.unit.name,
        innovation,
    )
    assert entry.affair == innovation.main_affair
    # The Ringkasan section maps to nothing; sections mapped to innovation fields are filled.
    assert all(value for value in entry.answers.values())


def test_a_civil_servant_enters_with_the_unit_of_the_current_post(world, calendar_competition):
    calendar_competition.tracks = [Track.CIVIL_SERVANTS]
    calendar_competition.save()
    innovator = world.user(Role.INNOVATOR)
    with time_machine.travel(OPEN, tick=False):
        entry = services.entry_start(competition=calendar_competition, actor=innovator, track=Track.CIVIL_SERVANTS,
                                     title="Inovasi ASN")  # fmt: skip
    assert (entry.official, entry.unit, entry.entrant_name) == (world.official, world.unit, world.official.name)


def test_screening_passes_into_the_first_scoring_round_and_tells_the_entrant(world, draft):
    with time_machine.travel(OPEN, tick=False):
        complete(draft)
        services.entry_submit(entry=draft, actor=draft.entrant)
    with time_machine.travel(at(4, 2), tick=False):
        entry = Entry.objects.get(pk=draft.pk)
        with pytest.raises(ValidationError):
            services.entry_screen(entry=entry, actor=world.user(Role.ADMIN), action="fail")  # reason required
        services.entry_screen(entry=entry, actor=world.user(Role.ADMIN), action="fail", note="Bukan inovasi baru.")
        services.entry_screen(entry=entry, actor=world.user(Role.ADMIN), action="reconsider", note="Salah baca.")
        services.entry_screen(entry=entry, actor=world.user(Role.ADMIN), action="pass")
    entry = Entry.objects.get(pk=draft.pk)
    assert entry.reached_round.kind == PhaseKind.DESK
    titles = list(Notification.objects.filter(recipient=entry.entrant).values_list("title", flat=True))
    assert any("tidak lolos" in t for t in titles) and any("lolos seleksi" in t and "tidak" not in t for t in titles)


def test_a_unit_track_needs_an_operator_and_staff_cannot_enter_citizen_tracks(world, calendar_competition):
    with time_machine.travel(OPEN, tick=False), pytest.raises(Exception) as error:
        services.entry_start(competition=calendar_competition, actor=world.user(Role.VERIFIER),
                             track=Track.CITIZENS, title="X")  # fmt: skip
    assert error.type.__name__ == "PermissionDenied"
    assert user_with_role(Role.CITIZEN, world.region).email_verified_at is None

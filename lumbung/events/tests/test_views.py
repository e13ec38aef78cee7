"""Event pages: who sees what (role × view × someone else's object), forms that keep input,
uploads that survive a failed form, and list pages whose query count does not grow."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from lumbung.core.models import StagedUpload
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.events.models import Event, EvidenceProposal, Photo, Registration
from lumbung.innovations.tests.factories import InnovationFactory

from .factories import EventFactory, RegistrationFactory, at, attended, image_upload, pdf_upload


@pytest.fixture
def as_role(client, world):
    def sign_in(role):
        user = world.national_admin if role == "national_admin" else world.user(role)
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def make_event(world, **fields):
    fields.setdefault("organiser", world.unit)
    return EventFactory(region=world.region, **fields)


# Who sees which event -----------------------------------------------------------------------

VISIBILITY = [
    # (event fields, roles that see it)
    ({"status": Event.Status.DRAFT}, {"admin"}),
    ({"status": Event.Status.OPEN, "audience": Event.Audience.STAFF}, set(REGION_ROLES) - {Role.CITIZEN}),
    ({"status": Event.Status.OPEN, "audience": Event.Audience.PUBLIC}, set(REGION_ROLES)),
    ({"status": Event.Status.FINISHED, "audience": Event.Audience.STAFF}, set(REGION_ROLES) - {Role.CITIZEN}),
]


@pytest.mark.parametrize(("fields", "readers"), VISIBILITY)
def test_event_pages_and_the_list_agree_on_who_sees_an_event(as_role, world, fields, readers):
    event = make_event(world, **fields)
    for role in REGION_ROLES:
        client = as_role(role)
        detail = client.get(reverse("events:detail", args=[event.pk]))
        listed = event in client.get(reverse("events:list"), {"waktu": "semua"}).context["page_obj"].object_list
        assert (detail.status_code == 200) is (role in readers), role
        assert listed is (role in readers), role


def test_a_citizen_sees_a_staff_event_they_were_registered_for(as_role, world):
    event = make_event(world, audience=Event.Audience.STAFF)
    RegistrationFactory(event=event, user=world.user(Role.CITIZEN))
    assert as_role(Role.CITIZEN).get(reverse("events:detail", args=[event.pk])).status_code == 200


@pytest.mark.parametrize("role", REGION_ROLES)
def test_another_regions_event_and_its_files_are_not_found(as_role, world, role):
    event = EventFactory(region=world.other_region, organiser=world.other_unit, status=Event.Status.FINISHED)
    client = as_role(role)
    for name in ("detail", "participants", "invitation-pdf", "proposals"):
        assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code in (403, 404), name


ADMIN_PAGES = [
    "participants",
    "door",
    "invitation-pdf",
    "attendance-pdf",
    "participants-export",
    "photo-add",
    "material-add",
]


@pytest.mark.parametrize("role", REGION_ROLES)
def test_committee_pages_are_for_the_innovation_admin(as_role, world, role):
    event = make_event(world, status=Event.Status.RUNNING)
    client = as_role(role)
    for name in ADMIN_PAGES:
        response = client.get(reverse(f"events:{name}", args=[event.pk]))
        assert response.status_code == (200 if role == Role.ADMIN else 403), (name, response.status_code)


def test_a_ticket_belongs_to_its_participant_and_the_admin(as_role, world):
    event = make_event(world)
    registration = RegistrationFactory(event=event, user=world.user(Role.INNOVATOR))
    url = reverse("events:ticket", args=[registration.pk])
    for role in REGION_ROLES:
        expected = 200 if role in (Role.INNOVATOR, Role.ADMIN) else 404
        assert as_role(role).get(url).status_code == expected, role


def test_the_ticket_shows_the_code_and_a_qr_code_for_the_door(as_role, world):
    event = make_event(world)
    registration = RegistrationFactory(event=event, user=world.user(Role.INNOVATOR))
    response = as_role(Role.INNOVATOR).get(reverse("events:ticket", args=[registration.pk]))
    html = response.content.decode()
    assert registration.display_code in html
    assert '<svg role="img"' in html and "Kode QR presensi" in html


# Registering and checking in over HTTP ---------------------------------------------------------


def test_signing_up_leads_to_the_ticket(as_role, world):
    event = make_event(world)
    response = as_role(Role.OPERATOR).post(
        reverse("events:register", args=[event.pk]), {"affiliation": "Diskominfo", "phone": "0812-7700-1234"}
    )
    registration = Registration.objects.get(event=event, user=world.user(Role.OPERATOR))
    assert response.status_code == 302 and response["Location"] == reverse("events:ticket", args=[registration.pk])


def test_check_in_page_records_attendance_without_signing_in(client, world):
    event = make_event(world, status=Event.Status.RUNNING, starts_at=at(2026, 5, 12, 9), ends_at=at(2099, 1, 1, 9))
    registration = RegistrationFactory(event=event, name="Lestari Wibowo")
    response = client.post(reverse("events:check-in"), {"code": registration.display_code.lower()})
    assert response.status_code == 200
    assert "Kehadiran tercatat" in response.content.decode() and "Lestari Wibowo" in response.content.decode()
    response = client.post(reverse("events:check-in"), {"code": registration.code})
    assert "sudah dipakai" in response.content.decode()


def test_the_qr_link_asks_for_one_tap_and_then_records(client, world):
    event = make_event(world, status=Event.Status.RUNNING, starts_at=at(2026, 5, 12, 9), ends_at=at(2099, 1, 1, 9))
    registration = RegistrationFactory(event=event, name="Fajar Ramadhan")
    url = reverse("events:check-in-code", args=[registration.code])
    assert "Fajar Ramadhan" in client.get(url).content.decode()
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.REGISTERED
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED and registration.check_in_method == "qr"


def test_guessing_codes_is_throttled(client, world):
    for _ in range(20):
        client.post(reverse("events:check-in"), {"code": "AAAAAA"})
    response = client.post(reverse("events:check-in"), {"code": "AAAAAA"})
    assert "Terlalu banyak kode yang salah" in response.content.decode()


def test_guessing_codes_through_the_qr_link_is_throttled_too(client, world):
    """Issue 12: the GET lookup names the participant and was not limited at all."""
    event = make_event(world, status=Event.Status.RUNNING, starts_at=at(2026, 5, 12, 9), ends_at=at(2099, 1, 1, 9))
    registration = RegistrationFactory(event=event, name="Fajar Ramadhan")
    statuses = [client.get(reverse("events:check-in-code", args=[f"ZZZZ{n:02d}"])).status_code for n in range(20)]
    assert set(statuses) == {404}
    blocked = client.get(reverse("events:check-in-code", args=[registration.code]))
    assert blocked.status_code == 429
    assert "Fajar Ramadhan" not in blocked.content.decode()
    assert "Terlalu banyak kode yang salah" in blocked.content.decode()
    # The POST form counts the same guesses.
    assert client.post(reverse("events:check-in"), {"code": registration.code}).status_code == 429
    # Another device is not affected.
    other = Client(REMOTE_ADDR="10.3.3.3")
    assert "Fajar Ramadhan" in other.get(reverse("events:check-in-code", args=[registration.code])).content.decode()


def test_the_check_in_counter_lives_in_the_shared_cache(client, world):
    """Counted in django.core.cache (Redis when configured), not in a per-process dictionary."""
    from lumbung.events.views import CHECK_IN_ATTEMPTS, _throttle_key

    request = RequestFactory(REMOTE_ADDR="10.4.4.4").get("/")
    cache.set(_throttle_key(request), CHECK_IN_ATTEMPTS, 600)
    response = Client(REMOTE_ADDR="10.4.4.4").post(reverse("events:check-in"), {"code": "AAAAAA"})
    assert response.status_code == 429


def test_a_malformed_code_gets_a_clear_message(client, world):
    response = client.post(reverse("events:check-in"), {"code": "ab"})
    assert "terdiri dari 6 huruf atau angka" in response.content.decode()


# Forms keep what was typed and what was uploaded ---------------------------------------------------


def test_an_invalid_event_form_keeps_what_was_typed(as_role, world):
    response = as_role(Role.ADMIN).post(
        reverse("events:create"),
        {"kind": "bimtek", "title": "Bimtek Eviden IGA 2026", "organiser": world.unit.pk, "mode": "onsite",
         "starts_at": "2026-05-12T09:00", "ends_at": "2026-05-12T08:00", "audience": "staff"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and "Waktu selesai harus sesudah waktu mulai" in html
    assert 'value="Bimtek Eviden IGA 2026"' in html
    assert not Event.objects.exists()


def test_an_event_is_created_as_a_draft_with_its_history(as_role, world):
    response = as_role(Role.ADMIN).post(
        reverse("events:create"),
        {"kind": "socialisation", "title": "Sosialisasi Inovasi Pekon", "organiser": world.unit.pk, "mode": "onsite",
         "venue": "Balai Pekon Way Mengaku", "starts_at": "2026-05-12T09:00", "ends_at": "2026-05-12T12:00",
         "audience": "public"},
    )  # fmt: skip
    event = Event.objects.get()
    assert response["Location"] == reverse("events:detail", args=[event.pk])
    assert event.status == Event.Status.DRAFT and event.history.get().action == "create"


def test_a_valid_photo_survives_a_form_error_and_is_saved_on_resubmit(as_role, world):
    client = as_role(Role.ADMIN)
    event = make_event(world, status=Event.Status.FINISHED)
    url = reverse("events:photo-add", args=[event.pk])
    response = client.post(url, {"file": image_upload(), "caption": "", "is_evidence": "on"})
    assert response.status_code == 200 and "Bidang ini tidak boleh kosong" in response.content.decode()
    staged = StagedUpload.objects.get()
    client.post(url, {"file__staged": str(staged.pk), "caption": "Peserta dan banner inovasi", "is_evidence": "on"})
    photo = Photo.objects.get()
    assert photo.caption == "Peserta dan banner inovasi" and photo.original_name == "foto-banner.jpg"
    assert photo.thumbnail and photo.sha256 == staged.sha256


def test_a_disguised_photo_is_refused_with_an_indonesian_message(as_role, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = make_event(world)
    response = as_role(Role.ADMIN).post(
        reverse("events:photo-add", args=[event.pk]),
        {"file": SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 100), "caption": "x"},
    )
    assert "bukan Gambar" in response.content.decode() and not Photo.objects.exists()


def test_participants_can_download_materials_but_not_upload_them(as_role, world):
    from lumbung.events import services

    event = make_event(world)
    material = services.material_add(event=event, actor=world.user(Role.ADMIN), uploaded=pdf_upload(), title="Paparan")
    response = as_role(Role.VERIFIER).get(reverse("events:material-file", args=[material.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert as_role(Role.VERIFIER).post(reverse("events:material-delete", args=[material.pk])).status_code == 403


# Evidence review ------------------------------------------------------------------------------


def test_the_admin_confirms_one_proposal_from_the_review_page(as_role, world):
    event = make_event(world, status=Event.Status.FINISHED)
    proposals = [
        EvidenceProposal.objects.create(event=event, innovation=InnovationFactory(region=world.region, unit=world.unit),
                                        indicator_code="20")
        for _ in range(2)
    ]  # fmt: skip
    response = as_role(Role.ADMIN).post(
        reverse("events:proposals", args=[event.pk]),
        {"proposals": [proposals[0].pk], "action": "confirm", "year": "2026", "note": ""},
    )
    assert response.status_code == 302 and "/tugas/" in response["Location"]
    statuses = dict(EvidenceProposal.objects.values_list("pk", "status"))
    # No assessment exists in this test: the confirmed one waits with its reason, the other is untouched.
    assert statuses == {proposals[0].pk: "confirmed", proposals[1].pk: "proposed"}
    assert "Belum ada penilaian" in EvidenceProposal.objects.get(pk=proposals[0].pk).last_error


def test_the_review_page_refuses_a_decision_on_the_wrong_state(as_role, world):
    event = make_event(world, status=Event.Status.FINISHED)
    proposal = EvidenceProposal.objects.create(
        event=event, innovation=InnovationFactory(region=world.region, unit=world.unit), indicator_code="20",
        status=EvidenceProposal.Status.DISMISSED,
    )  # fmt: skip
    response = as_role(Role.ADMIN).post(
        reverse("events:proposals", args=[event.pk]), {"proposals": [proposal.pk], "action": "confirm", "year": "2026"}
    )
    assert response.status_code == 200 and "tidak dalam status yang sesuai" in response.content.decode()


# Query counts -------------------------------------------------------------------------------------


def test_the_event_list_does_not_grow_with_the_number_of_events(as_role, world, django_assert_max_num_queries):
    client = as_role(Role.VERIFIER)
    for _ in range(3):
        event = make_event(world)
        RegistrationFactory(event=event, user=world.user(Role.VERIFIER))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("events:list"))
    for _ in range(15):
        attended(RegistrationFactory(event=make_event(world)))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("events:list"))


def test_the_participant_list_does_not_grow_with_the_number_of_participants(
    as_role, world, django_assert_max_num_queries
):
    client = as_role(Role.ADMIN)
    event = make_event(world, status=Event.Status.RUNNING)
    RegistrationFactory(event=event, official=world.official)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("events:participants", args=[event.pk]))
    for _ in range(20):
        attended(RegistrationFactory(event=event))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("events:participants", args=[event.pk]))


def test_the_event_page_does_not_grow_with_photos_and_materials(as_role, world, django_assert_max_num_queries):
    from lumbung.events import services

    client = as_role(Role.ADMIN)
    event = make_event(world, status=Event.Status.FINISHED)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("events:detail", args=[event.pk]))
    few = len(few)  # read now: every request empties the connection's query log
    for number in range(4):
        services.photo_add(event=event, actor=world.user(Role.ADMIN), uploaded=image_upload(size=(40, 30)),
                           caption=f"Foto {number}", is_evidence=True,
                           innovation=InnovationFactory(region=world.region, unit=world.unit))  # fmt: skip
        services.material_add(event=event, actor=world.user(Role.ADMIN), uploaded=pdf_upload(), title=f"M{number}")
    # The factories add national reference data, after which the first request reads the
    # signed-in user and roles again (accounts.backends): measure the next one.
    client.get(reverse("events:detail", args=[event.pk]))
    with django_assert_max_num_queries(few):
        client.get(reverse("events:detail", args=[event.pk]))


def test_the_proposal_page_does_not_grow_with_proposals(as_role, world, django_assert_max_num_queries):
    client = as_role(Role.ADMIN)
    event = make_event(world, status=Event.Status.FINISHED)

    def add():
        proposal = EvidenceProposal.objects.create(
            event=event, innovation=InnovationFactory(region=world.region, unit=world.unit), indicator_code="20"
        )
        proposal.attendees.add(attended(RegistrationFactory(event=event)))

    add()
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("events:proposals", args=[event.pk]))
    for _ in range(8):
        add()
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("events:proposals", args=[event.pk]))


def test_the_check_in_page_speaks_english_when_chosen(client, world, back_to_indonesian):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("events:check-in")).content.decode()
    assert "Event check-in" in html and "Record attendance" in html


@pytest.fixture
def back_to_indonesian():
    """LanguageMiddleware leaves the last request's language active in the thread; later tests expect Indonesian."""
    from django.utils import translation

    yield
    translation.activate("id")

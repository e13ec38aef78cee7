"""Signing up: staff and citizens themselves, officials and guests by the committee."""

import pytest
from django.core.exceptions import ValidationError

from lumbung.core.roles import Role
from lumbung.events import services
from lumbung.events.models import Event, Registration
from lumbung.notifications.models import Notification
from tests.factories import AssignmentFactory, OfficialFactory, UserFactory, user_with_role

from .factories import EventFactory, RegistrationFactory


@pytest.fixture
def event(world):
    return EventFactory(region=world.region, organiser=world.unit, capacity=3)


def test_a_civil_servant_signs_up_with_the_position_from_the_roster(world, event):
    innovator = world.user(Role.INNOVATOR)
    registration = services.registration_self(event=event, user=innovator)
    assert registration.official_id == innovator.official_id
    assert registration.affiliation == f"Kepala Bidang, {world.unit.name}"
    assert registration.history.get().action == "register"
    assert len(registration.code) == 6


def test_an_operator_without_a_roster_entry_signs_up_with_the_unit_operated(world, event):
    registration = services.registration_self(event=event, user=world.user(Role.OPERATOR))
    assert registration.affiliation == world.unit.name
    # A region-wide role names no unit: the field stays empty for them to fill.
    assert services.registration_self(event=event, user=world.user(Role.VERIFIER)).affiliation == ""


def test_a_position_that_names_its_unit_is_not_followed_by_the_unit_again(world, event):
    official = OfficialFactory(region=world.region)
    AssignmentFactory(official=official, unit=world.unit, position=f"Kepala {world.unit.name}")
    user = user_with_role(Role.INNOVATOR, world.region, official=official)
    registration = services.registration_self(event=event, user=user)
    assert registration.affiliation == f"Kepala {world.unit.name}"


def test_signing_up_twice_is_refused(world, event):
    services.registration_self(event=event, user=world.user(Role.VERIFIER))
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        services.registration_self(event=event, user=world.user(Role.VERIFIER))


def test_a_full_event_refuses_new_sign_ups(world, event):
    RegistrationFactory.create_batch(3, event=event)
    with pytest.raises(ValidationError, match="Kuota peserta sudah penuh"):
        services.registration_self(event=event, user=world.user(Role.VERIFIER))


def test_cancelled_places_free_the_quota_and_a_cancelled_sign_up_comes_back(world, event):
    RegistrationFactory.create_batch(2, event=event)
    user = world.user(Role.OPERATOR)
    mine = services.registration_self(event=event, user=user)
    services.registration_transition(registration=mine, action="cancel", actor=user)
    RegistrationFactory(event=event)
    with pytest.raises(ValidationError, match="penuh"):
        services.registration_self(event=event, user=user)
    Registration.objects.exclude(pk=mine.pk).first().delete()
    again = services.registration_self(event=event, user=user)
    assert again.pk == mine.pk and again.status == Registration.Status.REGISTERED
    assert list(mine.history.values_list("action", flat=True)) == ["register", "cancel", "restore"]


def test_citizens_join_public_events_only(world):
    citizen = world.user(Role.CITIZEN)
    staff_only = EventFactory(region=world.region, organiser=world.unit, audience=Event.Audience.STAFF)
    public = EventFactory(region=world.region, organiser=world.unit, audience=Event.Audience.PUBLIC)
    with pytest.raises(ValidationError, match="tidak dibuka bagi Anda"):
        services.registration_self(event=staff_only, user=citizen)
    registration = services.registration_self(event=public, user=citizen, affiliation="Kelompok Tani Sumber Rezeki")
    assert registration.affiliation == "Kelompok Tani Sumber Rezeki" and registration.official_id is None


@pytest.mark.parametrize("state", [Event.Status.DRAFT, Event.Status.RUNNING, Event.Status.FINISHED])
def test_self_registration_needs_open_registration(world, state):
    event = EventFactory(region=world.region, organiser=world.unit, status=state)
    with pytest.raises(ValidationError):
        services.registration_self(event=event, user=world.user(Role.VERIFIER))


def test_someone_from_another_region_cannot_sign_up(world, event):
    with pytest.raises(ValidationError):
        services.registration_self(event=event, user=world.other_admin)


def test_the_committee_registers_officials_and_skips_those_already_in(world, event):
    admin = world.user(Role.ADMIN)
    first, skipped = services.registration_add_officials(
        event=event, officials=[world.official, world.sibling_official], actor=admin
    )
    assert {r.official for r in first} == {world.official, world.sibling_official} and skipped == []
    again, skipped = services.registration_add_officials(event=event, officials=[world.official], actor=admin)
    assert again == [] and skipped == [world.official.name]


def test_officials_from_another_region_are_skipped(world, event):
    added, skipped = services.registration_add_officials(
        event=event, officials=[world.other_official], actor=world.user(Role.ADMIN)
    )
    assert added == [] and skipped == [world.other_official.name]


def test_an_official_with_an_account_is_linked_and_told_the_code(world, event):
    innovator = world.user(Role.INNOVATOR)  # the account of world.official
    (registration,), _ = services.registration_add_officials(
        event=event, officials=[world.official], actor=world.user(Role.ADMIN)
    )
    assert registration.user == innovator
    notification = Notification.objects.get(recipient=innovator)
    assert registration.display_code in notification.body


def test_a_draft_event_tells_its_participants_when_it_opens(world):
    event = EventFactory(region=world.region, organiser=world.unit, status=Event.Status.DRAFT)
    services.registration_add_officials(event=event, officials=[world.official], actor=world.user(Role.ADMIN))
    assert not Notification.objects.exists()
    services.event_transition(event=event, action="open", actor=world.user(Role.ADMIN))
    assert Notification.objects.get().recipient == world.user(Role.INNOVATOR)


def test_signing_up_takes_over_the_committees_registration_of_the_same_official(world, event):
    official = OfficialFactory(region=world.region)
    AssignmentFactory(official=official, unit=world.sibling_unit)
    services.registration_add_officials(event=event, officials=[official], actor=world.user(Role.ADMIN))
    account = user_with_role(Role.OPERATOR, world.region, world.sibling_unit, official=official)
    registration = services.registration_self(event=event, user=account)
    assert registration.user == account and event.registrations.count() == 1


def test_guests_are_registered_by_name(world, event):
    guest = services.registration_add_guest(
        event=event, actor=world.user(Role.ADMIN), name=" Hj. Siti Aminah ", affiliation="PKK Pekon Way Mengaku"
    )
    assert guest.name == "Hj. Siti Aminah" and guest.user is None and guest.official is None


@pytest.mark.parametrize("state", [Event.Status.FINISHED, Event.Status.ARCHIVED, Event.Status.CANCELLED])
def test_nobody_is_added_to_a_finished_event(world, state):
    event = EventFactory(region=world.region, organiser=world.unit, status=state)
    with pytest.raises(ValidationError):
        services.registration_add_guest(event=event, actor=world.user(Role.ADMIN), name="Tamu")
    with pytest.raises(ValidationError):
        services.registration_add_officials(event=event, officials=[world.official], actor=world.user(Role.ADMIN))


def test_cancelling_an_event_tells_the_registered_accounts(world, event):
    user = UserFactory()
    RegistrationFactory(event=event, user=user)
    services.event_transition(event=event, action="cancel", actor=world.user(Role.ADMIN), note="Hujan lebat")
    notification = Notification.objects.get(recipient=user)
    assert "dibatalkan" in notification.title and notification.body == "Hujan lebat"


def test_the_committee_marks_attendance_and_can_undo_it_with_a_reason(world, event):
    admin = world.user(Role.ADMIN)
    registration = RegistrationFactory(event=event)
    services.registration_transition(registration=registration, action="check_in", actor=admin)
    registration.refresh_from_db()
    assert registration.check_in_method == Registration.Method.COMMITTEE and registration.attended_at
    services.registration_transition(registration=registration, action="undo_check_in", actor=admin, note="salah orang")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED and registration.attended_at is None

"""A unit operator registers colleagues: the current staff of the units they operate (and below),
through the same service as the committee, while registration is open and places are left."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lumbung.core.roles import REGION_ROLES, Role
from lumbung.events import services
from lumbung.events.models import Event, Registration
from lumbung.notifications.models import Notification
from tests.factories import AssignmentFactory, OfficialFactory, UnitFactory, user_with_role

from .factories import EventFactory, RegistrationFactory


@pytest.fixture
def event(world):
    return EventFactory(region=world.region, organiser=world.sibling_unit, capacity=10)


@pytest.fixture
def colleagues(world):
    """Staff the Diskominfo operator answers for, and people they do not."""
    section = UnitFactory(region=world.region, parent=world.unit, name="UPTD Jaringan Pekon", short_name="UPTD Jar")
    below = OfficialFactory(region=world.region, name="Rahmat Hidayat")
    AssignmentFactory(official=below, unit=section, position="Kepala UPTD", echelon="IV.a")
    moved = OfficialFactory(region=world.region, name="Yuliana Sari")
    AssignmentFactory(official=moved, unit=world.unit, start_date=dt.date(2019, 1, 1), end_date=dt.date(2024, 12, 31))
    AssignmentFactory(official=moved, unit=world.sibling_unit, start_date=dt.date(2025, 1, 1))
    return {"own": world.official, "below": below, "moved": moved, "sibling": world.sibling_official}


def _url(event) -> str:
    return reverse("events:unit-staff", args=[event.pk])


def test_the_operator_registers_current_staff_of_the_unit_and_below(world, event, colleagues, client):
    operator = world.user(Role.OPERATOR)
    client.force_login(operator)
    page = client.get(_url(event)).content.decode()
    assert colleagues["own"].name in page and "Rahmat Hidayat — Kepala UPTD, UPTD Jar" in page
    # Someone who left the unit, and the sibling unit's staff, are not offered.
    assert "Yuliana Sari" not in page and colleagues["sibling"].name not in page
    response = client.post(_url(event), {"officials": [colleagues["own"].pk, colleagues["below"].pk]})
    assert response.status_code == 302
    registrations = {r.official: r for r in event.registrations.select_related("official")}
    assert set(registrations) == {colleagues["own"], colleagues["below"]}
    mine = registrations[colleagues["own"]]
    assert mine.registered_by == operator and mine.user == world.user(Role.INNOVATOR)
    assert mine.history.get().actor == operator
    # The colleague with an account hears of it, with the code.
    assert mine.display_code in Notification.objects.get(recipient=world.user(Role.INNOVATOR)).body
    page = client.get(_url(event)).content.decode()
    assert page.count("Tiket dan kode") == 2


def test_a_whole_unit_at_once_and_no_one_twice(world, event, colleagues):
    operator = world.user(Role.OPERATOR)
    services.registration_add_officials(event=event, officials=[colleagues["own"]], actor=operator)
    from lumbung.events.forms import UnitStaffForm

    form = UnitStaffForm({"units": [world.unit.pk]}, region=world.region, user=operator)
    assert form.is_valid(), form.errors
    added, skipped = services.registration_add_officials(
        event=event, officials=form.selected_officials(), actor=operator
    )
    assert added == [] and skipped == [colleagues["own"].name]  # the one who moved away is not staff now


def test_staff_of_other_units_are_refused_by_the_service(world, event, colleagues):
    with pytest.raises(ValidationError, match=colleagues["moved"].name):
        services.registration_add_officials(
            event=event, officials=[colleagues["own"], colleagues["moved"]], actor=world.user(Role.OPERATOR)
        )
    assert not event.registrations.exists()


def test_a_choice_outside_the_list_keeps_the_form_with_a_message(world, event, colleagues, client):
    client.force_login(world.user(Role.OPERATOR))
    response = client.post(_url(event), {"officials": [colleagues["own"].pk, colleagues["sibling"].pk]})
    assert response.status_code == 400 and "bukan salah satu dari pilihan yang tersedia" in response.content.decode()
    assert not event.registrations.exists()


def test_operators_respect_the_capacity_the_committee_does_not(world, colleagues):
    event = EventFactory(region=world.region, organiser=world.sibling_unit, capacity=2)
    RegistrationFactory(event=event)
    with pytest.raises(ValidationError, match="Sisa kuota peserta 1 orang"):
        services.registration_add_officials(
            event=event, officials=[colleagues["own"], colleagues["below"]], actor=world.user(Role.OPERATOR)
        )
    added, _skipped = services.registration_add_officials(
        event=event, officials=[colleagues["own"], colleagues["below"]], actor=world.user(Role.ADMIN)
    )
    assert len(added) == 2


@pytest.mark.parametrize("state", [Event.Status.DRAFT, Event.Status.RUNNING, Event.Status.FINISHED])
def test_operators_register_only_while_registration_is_open(world, colleagues, client, state):
    event = EventFactory(region=world.region, organiser=world.sibling_unit, status=state)
    with pytest.raises(ValidationError):
        services.registration_add_officials(event=event, officials=[colleagues["own"]], actor=world.user(Role.OPERATOR))
    client.force_login(world.user(Role.OPERATOR))
    response = client.get(_url(event))
    if state == Event.Status.DRAFT:  # a draft is not announced yet: not found
        assert response.status_code == 404
    else:
        assert "hanya selama pendaftaran kegiatan dibuka" in response.content.decode()
        assert 'name="officials"' not in response.content.decode()


# Who reaches the page, for our event and for someone else's (role × view × object) -------------


@pytest.mark.parametrize("role", REGION_ROLES)
def test_only_operators_reach_the_unit_staff_page(world, event, colleagues, client, role):
    foreign = EventFactory(region=world.other_region, organiser=world.other_unit)
    client.force_login(world.user(role))
    own = client.get(_url(event))
    assert own.status_code == (200 if role == Role.OPERATOR else 403)
    assert client.get(_url(foreign)).status_code in (403, 404)
    response = client.post(_url(event), {"officials": [colleagues["own"].pk]})
    assert response.status_code == (302 if role == Role.OPERATOR else 403)
    assert event.registrations.exists() is (role == Role.OPERATOR)


def test_the_event_page_offers_the_operator_the_unit_staff_page(world, event, client):
    client.force_login(world.user(Role.OPERATOR))
    assert _url(event) in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    client.force_login(world.user(Role.VERIFIER))
    assert _url(event) not in client.get(reverse("events:detail", args=[event.pk])).content.decode()


# The operator speaks for the colleagues they registered -----------------------------------------


def test_the_operator_opens_and_cancels_the_registrations_they_made(world, event, colleagues, client):
    operator = world.user(Role.OPERATOR)
    (mine,), _ = services.registration_add_officials(event=event, officials=[colleagues["below"]], actor=operator)
    (admins,), _ = services.registration_add_officials(
        event=event, officials=[colleagues["own"]], actor=world.user(Role.ADMIN)
    )
    client.force_login(operator)
    assert client.get(reverse("events:ticket", args=[mine.pk])).status_code == 200
    assert client.get(reverse("events:ticket", args=[admins.pk])).status_code == 404
    client.post(reverse("events:registration-action", args=[mine.pk]), {"action": "cancel", "next": _url(event)})
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    response = client.post(reverse("events:registration-action", args=[admins.pk]), {"action": "cancel"})
    assert response.status_code == 404 and Registration.objects.get(pk=admins.pk).status == "registered"


def test_an_operator_who_lost_the_role_no_longer_speaks_for_them(world, event, colleagues):
    operator = user_with_role(Role.OPERATOR, world.region, world.unit)
    (mine,), _ = services.registration_add_officials(event=event, officials=[colleagues["own"]], actor=operator)
    operator.role_assignments.update(is_active=False)
    del operator.active_roles
    assert not operator.has_perm("events.view_registration", mine)


def test_restoring_a_cancelled_place_respects_the_capacity(world, colleagues):
    operator = world.user(Role.OPERATOR)
    event = EventFactory(region=world.region, organiser=world.sibling_unit, capacity=1)
    (mine,), _ = services.registration_add_officials(event=event, officials=[colleagues["below"]], actor=operator)
    services.registration_transition(registration=mine, action="cancel", actor=operator)
    RegistrationFactory(event=event)
    with pytest.raises(ValidationError, match="Kuota peserta sudah penuh"):
        services.registration_transition(registration=mine, action="restore", actor=operator)


def test_the_page_does_not_grow_with_the_staff(world, client, django_assert_max_num_queries):
    event = EventFactory(region=world.region, organiser=world.sibling_unit)
    operator = world.user(Role.OPERATOR)
    client.force_login(operator)
    with django_assert_max_num_queries(25) as few:
        client.get(_url(event))
    for number in range(12):
        official = OfficialFactory(region=world.region)
        AssignmentFactory(official=official, unit=world.unit, position=f"Pranata Komputer {number}")
        services.registration_add_officials(event=event, officials=[official], actor=operator)
    with django_assert_max_num_queries(len(few)):
        page = client.get(_url(event)).content.decode()
    assert page.count("Pranata Komputer") >= 12

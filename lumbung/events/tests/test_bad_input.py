"""Malformed posts get a page or a message, never a server error."""

import pytest
from django.urls import reverse

from lumbung.core.roles import Role
from lumbung.events.models import Event, Registration

from .factories import EventFactory, RegistrationFactory


@pytest.mark.parametrize("target", ["abc", "-1", "a\x00b", "https://evil.example/"])
def test_a_registration_action_with_a_malformed_return_address_goes_to_the_ticket(client, world, target):
    event = EventFactory(region=world.region, organiser=world.unit, status=Event.Status.OPEN)
    registration = RegistrationFactory(event=event)
    client.force_login(world.user(Role.ADMIN))
    response = client.post(
        reverse("events:registration-action", args=[registration.pk]), {"action": "cancel", "next": target}
    )
    assert response.status_code == 302
    assert response.url == reverse("events:ticket", args=[registration.pk])
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_a_registration_action_returns_to_the_page_it_came_from(client, world):
    event = EventFactory(region=world.region, organiser=world.unit, status=Event.Status.OPEN)
    registration = RegistrationFactory(event=event)
    client.force_login(world.user(Role.ADMIN))
    back = reverse("events:participants", args=[event.pk]) + "?q=budi"
    response = client.post(
        reverse("events:registration-action", args=[registration.pk]), {"action": "cancel", "next": back}
    )
    assert response.url == back


def test_unit_staff_with_ids_too_large_for_the_database_is_refused_in_indonesian(client, world):
    event = EventFactory(region=world.region, organiser=world.sibling_unit, status=Event.Status.OPEN, capacity=10)
    client.force_login(world.user(Role.OPERATOR))
    response = client.post(
        reverse("events:unit-staff", args=[event.pk]), {"officials": [str(10**20)], "units": [str(10**20)]}
    )
    assert response.status_code == 400
    assert "bukan salah satu dari pilihan" in response.content.decode()
    assert not event.registrations.exists()

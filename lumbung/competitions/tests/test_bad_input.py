"""Odd requests to the entrant pages: a page or a 404, never a server error."""

import pytest
import time_machine
from django.urls import reverse

from .conftest import at

pytestmark = pytest.mark.django_db

OPEN = at(3, 15)


def test_a_national_admin_who_can_enter_no_track_gets_not_found(client, world, calendar_competition):
    client.force_login(world.national_admin)
    with time_machine.travel(OPEN, tick=False):
        assert client.get(reverse("competitions:entry-start", args=[calendar_competition.pk])).status_code == 404


@pytest.mark.parametrize("track", ["zzz", "a\x00b", "x" * 5000])
def test_an_unknown_track_is_refused_with_the_form(client, citizen, calendar_competition, reference_data, track):
    client.force_login(citizen)
    with time_machine.travel(OPEN, tick=False):
        response = client.post(
            reverse("competitions:entry-start", args=[calendar_competition.pk]), {"track": track, "title": "Kebun"}
        )
    assert response.status_code in (200, 400)
    assert not calendar_competition.entries.exists()

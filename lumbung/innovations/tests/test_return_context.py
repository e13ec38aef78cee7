"""The verifier's return form shows, beside each note box, what that part of the profile holds
now; publishing to the showcase asks for confirmation first."""

import pytest
from django.test import Client
from django.urls import reverse

from lumbung.innovations.models import Innovation

from .factories import InnovationFactory

pytestmark = pytest.mark.django_db


def _verifier(world) -> Client:
    client = Client()
    client.force_login(world.user("verifier"))
    return client


def test_each_note_box_stands_beside_the_current_content(world):
    innovation = InnovationFactory(
        region=world.region, unit=world.unit, status=Innovation.Status.SUBMITTED, name="Pasar Tani Digital",
        problem="Harga gabah di tingkat petani tidak diketahui pembeli.", goals="",
    )  # fmt: skip
    page = _verifier(world).get(reverse("innovations:return", args=[innovation.pk])).content.decode()
    rows = page.split('class="review-row')
    problem = next(row for row in rows if 'name="note_problem"' in row)
    assert "Harga gabah di tingkat petani tidak diketahui pembeli." in problem
    name = next(row for row in rows if 'name="note_name"' in row)
    assert "Pasar Tani Digital" in name
    goals = next(row for row in rows if 'name="note_goals"' in row)
    assert "(kosong)" in goals


def test_publishing_asks_for_confirmation(world):
    innovation = InnovationFactory(region=world.region, unit=world.unit, status=Innovation.Status.SUBSTANCE_VERIFIED)
    page = _verifier(world).get(reverse("innovations:detail", args=[innovation.pk])).content.decode()
    form = next(part for part in page.split("<form") if 'value="publish"' in part)
    assert "data-confirm=" in form and "etalase publik" in form

"""The public listing of a region's open events: visitors read it without signing in, see only
public events that are still to come, no personal data, and a way in to register."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lumbung.core.roles import Role
from lumbung.events.models import Event

from .factories import EventFactory, RegistrationFactory


def _public(world, **fields):
    fields.setdefault("organiser", world.unit)
    fields.setdefault("audience", Event.Audience.PUBLIC)
    return EventFactory(region=world.region, **fields)


def _list(client, world) -> str:
    return client.get(reverse("events:public-list", args=[world.region.code])).content.decode()


def test_visitors_see_upcoming_public_events_only(world):
    now = timezone.now()
    shown = {
        "open": _public(world, title="Sosialisasi Inovasi Pelayanan Pekon Way Mengaku"),
        "running": _public(
            world, title="Lokakarya Kopi Robusta Balik Bukit", status=Event.Status.RUNNING,
            starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=3),
        ),
    }  # fmt: skip
    hidden = {
        "staff": _public(world, title="Bimtek Khusus ASN", audience=Event.Audience.STAFF),
        "draft": _public(world, title="Sosialisasi Masih Draf", status=Event.Status.DRAFT),
        "cancelled": _public(world, title="Sosialisasi Yang Batal", status=Event.Status.CANCELLED),
        "past": _public(
            world, title="Sosialisasi Tahun Lalu", status=Event.Status.FINISHED,
            starts_at=now - dt.timedelta(days=40), ends_at=now - dt.timedelta(days=40, hours=-3),
        ),
        "elsewhere": EventFactory(
            region=world.other_region, organiser=world.other_unit, audience=Event.Audience.PUBLIC,
            title="Sosialisasi Lampung Selatan",
        ),
    }  # fmt: skip
    page = _list(Client(), world)
    for event in shown.values():
        assert event.title in page
        assert reverse("events:public-detail", args=[world.region.code, event.pk]) in page
    for event in hidden.values():
        assert event.title not in page
    # The soonest first.
    assert page.index(shown["running"].title) < page.index(shown["open"].title)


def test_the_detail_page_leads_visitors_to_sign_in_and_members_to_register(world):
    event = _public(
        world, capacity=30, online_link="https://meet.example.id/rahasia", mode=Event.Mode.HYBRID,
        signatory_nip="197405122000031004",
    )  # fmt: skip
    RegistrationFactory.create_batch(3, event=event)
    url = reverse("events:public-detail", args=[world.region.code, event.pk])
    page = Client().get(url).content.decode()
    detail = reverse("events:detail", args=[event.pk])
    assert f"{reverse('accounts:login')}?next={detail}" in page
    assert reverse("accounts:signup") in page and "Masih ada 27 tempat" in page
    # Nothing private: the meeting link goes to participants only, no names of participants or NIP.
    assert "meet.example.id" not in page and event.signatory_nip not in page
    assert not any(name in page for name in event.registrations.values_list("name", flat=True))
    citizen = Client()
    citizen.force_login(world.user(Role.CITIZEN))
    assert f'href="{detail}"' in citizen.get(url).content.decode()
    assert citizen.get(detail).status_code == 200  # and there the registration form waits


def test_a_full_or_running_event_says_registration_is_closed(world):
    full = _public(world, capacity=1)
    RegistrationFactory(event=full)
    assert (
        "Kuota peserta sudah penuh"
        in Client().get(reverse("events:public-detail", args=[world.region.code, full.pk])).content.decode()
    )
    running = _public(world, status=Event.Status.RUNNING)
    page = Client().get(reverse("events:public-detail", args=[world.region.code, running.pk])).content.decode()
    assert "pendaftaran sudah ditutup" in page and reverse("accounts:login") + "?next" not in page


@pytest.mark.parametrize("kind", ["staff", "draft", "other_region"])
def test_events_that_are_not_public_are_not_found(world, kind):
    event = {
        "staff": lambda: _public(world, audience=Event.Audience.STAFF),
        "draft": lambda: _public(world, status=Event.Status.DRAFT),
        "other_region": lambda: EventFactory(
            region=world.other_region, organiser=world.other_unit, audience=Event.Audience.PUBLIC
        ),
    }[kind]()
    response = Client().get(reverse("events:public-detail", args=[world.region.code, event.pk]))
    assert response.status_code == 404


def test_a_region_without_a_showcase_has_no_public_events(world):
    world.region.is_hosted = False
    world.region.save()
    assert Client().get(reverse("events:public-list", args=[world.region.code])).status_code == 404


def test_the_showcase_links_to_the_public_events(world):
    page = Client().get(reverse("showcase:index", args=[world.region.code])).content.decode()
    assert reverse("events:public-list", args=[world.region.code]) in page


def test_the_public_list_does_not_grow_with_events(world, django_assert_max_num_queries):
    client = Client()
    _public(world, capacity=20)
    with django_assert_max_num_queries(6) as few:
        _list(client, world)
    for number in range(12):
        RegistrationFactory(event=_public(world, capacity=10 + number))
    with django_assert_max_num_queries(len(few)):
        assert _list(client, world).count("sisa ") == 13


def test_a_public_event_can_be_shared_by_whatsapp(world):
    event = _public(world, title="Sosialisasi Inovasi Pelayanan Pekon Way Mengaku")
    page = Client().get(reverse("events:public-detail", args=[world.region.code, event.pk])).content.decode()
    assert 'href="https://wa.me/?text=Sosialisasi%20Inovasi%20Pelayanan%20Pekon%20Way%20Mengaku%0A' in page

"""The day-before reminder (manage.py send_event_reminders, run hourly by cron): each registered
participant with an account is reminded once, within the day before the start, and never twice."""

import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from lumbung.core.roles import Role
from lumbung.events import services
from lumbung.events.models import Event, Registration
from lumbung.notifications.models import Notification
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory, at

START = at(2026, 12, 10, 9)  # Thursday 10 December 2026, 09.00 WIB


@pytest.fixture
def event(world):
    return EventFactory(
        region=world.region, organiser=world.unit, starts_at=START, ends_at=START + dt.timedelta(hours=6),
        title="Bimtek Penyusunan Profil Inovasi", venue="Aula BRIDA, Liwa",
    )  # fmt: skip


def _run(**options) -> str:
    out = io.StringIO()
    call_command("send_event_reminders", stdout=out, **options)
    return out.getvalue()


def test_participants_are_reminded_once_within_the_day_before(world, event):
    innovator = world.user(Role.INNOVATOR)
    mine = RegistrationFactory(event=event, user=innovator)
    RegistrationFactory(event=event, name="Hj. Siti Aminah")  # a guest without an account
    with time_machine.travel(START - dt.timedelta(hours=30), tick=False):
        assert _run() == "0 peserta diingatkan; 0 peserta tanpa akun tidak diingatkan.\n"
    with time_machine.travel(START - dt.timedelta(hours=23), tick=False):
        assert _run() == "1 peserta diingatkan; 1 peserta tanpa akun tidak diingatkan.\n"
        notification = Notification.objects.get()
        assert notification.recipient == innovator and notification.url == reverse("events:ticket", args=[mine.pk])
        assert (
            "Bimtek Penyusunan Profil Inovasi" in notification.title and "Kamis, 10 Desember 2026" in notification.title
        )
        assert mine.display_code in notification.body and "Aula BRIDA, Liwa" in notification.body
        mine.refresh_from_db()
        assert mine.reminded_at == START - dt.timedelta(hours=23)
        # The next hourly runs find nobody new.
        assert _run().startswith("0 peserta diingatkan")
    with time_machine.travel(START - dt.timedelta(hours=2), tick=False):
        assert _run().startswith("0 peserta diingatkan")
    assert Notification.objects.count() == 1


def test_late_sign_ups_are_reminded_by_the_next_run_until_the_start(world, event):
    with time_machine.travel(START - dt.timedelta(hours=23), tick=False):
        services.event_reminders_send()
    late = RegistrationFactory(event=event, user=UserFactory())
    with time_machine.travel(START - dt.timedelta(hours=3), tick=False):
        assert services.event_reminders_send() == (1, 0)
    after_start = RegistrationFactory(event=event, user=UserFactory())
    with time_machine.travel(START + dt.timedelta(minutes=10), tick=False):
        assert services.event_reminders_send() == (0, 0)
    assert set(Registration.objects.filter(reminded_at__isnull=False)) == {late}
    assert after_start.reminded_at is None


@pytest.mark.parametrize(
    "state", [Event.Status.DRAFT, Event.Status.CANCELLED, Event.Status.FINISHED, Event.Status.ARCHIVED]
)
def test_events_not_open_or_running_send_nothing(world, event, state):
    Event.objects.filter(pk=event.pk).update(status=state)
    RegistrationFactory(event=event, user=UserFactory())
    with time_machine.travel(START - dt.timedelta(hours=12), tick=False):
        assert services.event_reminders_send() == (0, 0)
    assert not Notification.objects.exists()


def test_cancelled_registrations_and_inactive_accounts_are_skipped(world, event):
    RegistrationFactory(event=event, user=UserFactory(), status=Registration.Status.CANCELLED)
    RegistrationFactory(event=event, user=UserFactory(is_active=False))
    with time_machine.travel(START - dt.timedelta(hours=12), tick=False):
        assert services.event_reminders_send() == (0, 1)


def test_a_registration_claimed_by_another_run_is_not_reminded_again(world, event):
    """Two runs at once: the one whose conditional update loses sends nothing."""
    registration = RegistrationFactory(event=event, user=UserFactory())
    Registration.objects.filter(pk=registration.pk).update(reminded_at=START - dt.timedelta(hours=20))
    with time_machine.travel(START - dt.timedelta(hours=12), tick=False):
        assert services.event_reminders_send() == (0, 0)


def test_the_lead_time_is_an_option(world, event):
    RegistrationFactory(event=event, user=UserFactory())
    with time_machine.travel(START - dt.timedelta(hours=40), tick=False):
        assert _run(hours=48).startswith("1 peserta diingatkan")


def test_the_run_does_not_grow_with_events_that_are_not_due(world, event, django_assert_max_num_queries):
    """The work grows with the reminders sent (a claim and a notification each), not with events
    or registrations that are not due."""
    for _ in range(10):
        RegistrationFactory(event=EventFactory(region=world.region, organiser=world.unit), user=UserFactory())
    RegistrationFactory(event=event, user=UserFactory())
    with time_machine.travel(START - dt.timedelta(hours=12), tick=False), django_assert_max_num_queries(10):
        assert services.event_reminders_send() == (1, 0)


def test_the_committee_can_remind_participants_without_an_account_by_whatsapp(client, world, event):
    guest = RegistrationFactory(event=event, name="Hj. Siti Aminah", phone="0812-7900-1234")
    RegistrationFactory(event=event, name="Pak Landline", phone="(0728) 21345")
    RegistrationFactory(event=event, name="Bu Batal", phone="0813 1111 2222", status=Registration.Status.CANCELLED)
    link = services.reminder_whatsapp_url(guest)
    assert link.startswith("https://wa.me/6281279001234?text=")
    message = parse_qs(urlsplit(link).query)["text"][0]
    assert "Bimtek Penyusunan Profil Inovasi" in message and "Kamis, 10 Desember 2026" in message
    assert guest.display_code in message and "Aula BRIDA, Liwa" in message
    client.force_login(world.user(Role.ADMIN))
    page = client.get(reverse("events:participants", args=[event.pk])).content.decode()
    assert page.count("https://wa.me/") == 1
    assert escape(link) in page

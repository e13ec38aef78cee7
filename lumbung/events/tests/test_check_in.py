"""Attendance by code: a code works once, and only inside the event's check-in window."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from lumbung.events import services
from lumbung.events.models import CODE_ALPHABET, CODE_LENGTH, Event, Registration, new_check_in_code, normalise_code

from .factories import EventFactory, RegistrationFactory, at


@pytest.fixture
def event(db):
    # 9.00–15.00 on 12 May 2026; check-in opens at 8.00 by default.
    return EventFactory(starts_at=at(2026, 5, 12, 9), ends_at=at(2026, 5, 12, 15), status=Event.Status.RUNNING)


def test_the_window_defaults_to_an_hour_before_the_start_until_the_end(event):
    assert event.check_in_opens_at == at(2026, 5, 12, 8)
    assert event.check_in_closes_at == at(2026, 5, 12, 15)


def test_a_code_checks_in_once_and_records_when_and_how(event):
    registration = RegistrationFactory(event=event)
    done = services.check_in(code=registration.code, moment=at(2026, 5, 12, 8, 47))
    registration.refresh_from_db()
    assert done.pk == registration.pk
    assert registration.status == Registration.Status.ATTENDED
    assert registration.check_in_method == Registration.Method.CODE
    row = registration.history.get()
    assert (row.action, row.from_state, row.to_state, row.actor) == ("check_in", "registered", "attended", None)


def test_the_same_code_cannot_be_used_twice(event):
    registration = RegistrationFactory(event=event, name="Yudi Pratama")
    services.check_in(code=registration.code, moment=at(2026, 5, 12, 9))
    with pytest.raises(ValidationError, match="sudah dipakai: Yudi Pratama tercatat hadir"):
        services.check_in(code=registration.code, moment=at(2026, 5, 12, 9, 5))
    assert registration.history.count() == 1


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (at(2026, 5, 12, 7, 59), "belum dibuka"),
        (at(2026, 5, 11, 9), "belum dibuka"),
        (at(2026, 5, 12, 15, 1), "sudah ditutup"),
        (at(2026, 5, 13, 9), "sudah ditutup"),
    ],
)
def test_a_code_outside_the_window_is_refused_and_stays_usable(event, moment, message):
    registration = RegistrationFactory(event=event)
    with pytest.raises(ValidationError, match=message):
        services.check_in(code=registration.code, moment=moment)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    services.check_in(code=registration.code, moment=at(2026, 5, 12, 10))


@pytest.mark.parametrize(
    "state", [Event.Status.DRAFT, Event.Status.FINISHED, Event.Status.CANCELLED, Event.Status.ARCHIVED]
)
def test_a_code_is_refused_when_the_event_does_not_take_check_ins(event, state):
    Event.objects.filter(pk=event.pk).update(status=state)
    registration = RegistrationFactory(event=event)
    with pytest.raises(ValidationError, match="tidak dibuka"):
        services.check_in(code=registration.code, moment=at(2026, 5, 12, 10))


def test_a_cancelled_registration_cannot_check_in(event):
    registration = RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    with pytest.raises(ValidationError, match="dibatalkan"):
        services.check_in(code=registration.code, moment=at(2026, 5, 12, 10))


def test_an_unknown_code_says_so(event):
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.check_in(code="XXXXXX", moment=at(2026, 5, 12, 10))


def test_a_code_typed_loosely_still_works(event):
    registration = RegistrationFactory(event=event)
    typed = f" {registration.code[:3].lower()}-{registration.code[3:]} "
    services.check_in(code=typed, moment=at(2026, 5, 12, 10))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED


def test_a_custom_window_is_respected(db):
    event = EventFactory(
        starts_at=at(2026, 5, 12, 9), ends_at=at(2026, 5, 12, 15), status=Event.Status.OPEN,
        check_in_opens_at=at(2026, 5, 12, 8, 30), check_in_closes_at=at(2026, 5, 12, 10),
    )  # fmt: skip
    registration = RegistrationFactory(event=event)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.check_in(code=registration.code, moment=at(2026, 5, 12, 10, 1))
    services.check_in(code=registration.code, moment=at(2026, 5, 12, 8, 30))


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_check_ins_with_one_code_record_one(event):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs concurrent connections")
    registration = RegistrationFactory(event=event)
    outcomes, barrier = [], threading.Barrier(2)

    def attempt():
        barrier.wait()
        try:
            services.check_in(code=registration.code, moment=at(2026, 5, 12, 10))
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - the loser's exception is the point
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert registration.history.filter(action="check_in").count() == 1


@given(st.text(alphabet=CODE_ALPHABET + CODE_ALPHABET.lower() + " -", max_size=20))
def test_normalising_keeps_only_letters_and_digits_in_upper_case(text):
    code = normalise_code(text)
    assert code == code.upper() and all(ch in CODE_ALPHABET for ch in code)
    assert normalise_code(code) == code


@given(st.integers(min_value=0, max_value=1000))
def test_new_codes_use_the_unambiguous_alphabet(_seed):
    code = new_check_in_code()
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("0O1IL2Z5S8B")


def test_a_check_in_between_two_day_event_days_is_inside_the_window(db):
    event = EventFactory(starts_at=at(2026, 5, 12, 9), ends_at=at(2026, 5, 13, 15), status=Event.Status.RUNNING)
    assert event.check_in_is_open(at(2026, 5, 13, 7)) is True
    assert event.check_in_is_open(at(2026, 5, 13, 15) + dt.timedelta(seconds=1)) is False

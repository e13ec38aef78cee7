"""Throughput and waiting-time figures (pure functions)."""

import datetime as dt
import statistics
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbung.clinic.metrics import CaseTimes, median_days, waiting_figures

JAKARTA = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=JAKARTA)


def test_median_of_an_odd_and_an_even_number_of_waits():
    assert median_days([dt.timedelta(days=1), dt.timedelta(days=5), dt.timedelta(days=2)]) == Decimal("2.0")
    assert median_days([dt.timedelta(days=1), dt.timedelta(hours=36)]) == Decimal("1.3")  # 1.25 rounds half up


def test_no_waits_no_median():
    assert median_days([]) is None


def test_a_session_recorded_before_the_request_counts_as_no_wait():
    assert median_days([dt.timedelta(days=-2), dt.timedelta(days=4)]) == Decimal("2.0")


def test_waits_count_in_the_month_they_ended():
    cases = [
        # Asked in January, triaged and met in February, resolved in March.
        CaseTimes(at("2026-01-30"), at("2026-02-02"), at("2026-02-10"), at("2026-03-01")),
        # Asked and triaged in February, never met.
        CaseTimes(at("2026-02-05"), at("2026-02-06")),
        # Still new.
        CaseTimes(at("2026-03-20")),
    ]
    overall, months = waiting_figures(cases, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1), tz=JAKARTA)
    assert [m.month for m in months] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    january, february, march = (m.figures for m in months)
    assert (january.requested, january.resolved, january.days_to_triage) == (1, 0, None)
    assert (february.requested, february.days_to_triage, february.days_to_first_session) == (
        1,
        Decimal("2.0"),
        Decimal("11.0"),
    )
    assert (march.requested, march.resolved, march.days_to_resolution) == (1, 1, Decimal("30.0"))
    assert (overall.requested, overall.resolved, overall.days_to_triage) == (3, 1, Decimal("2.0"))


def test_months_follow_the_local_time_zone():
    # 31 January 20.00 UTC is already 1 February in Jakarta.
    late = dt.datetime(2026, 1, 31, 20, tzinfo=UTC)
    _overall, months = waiting_figures(
        [CaseTimes(late)], start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1), tz=JAKARTA
    )
    assert [m.figures.requested for m in months] == [0, 1]


def test_events_outside_the_window_are_left_out():
    cases = [CaseTimes(at("2025-11-01"), at("2025-11-02"), None, at("2026-01-15"))]
    overall, _months = waiting_figures(cases, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31), tz=JAKARTA)
    assert (overall.requested, overall.resolved, overall.days_to_triage) == (0, 1, None)
    assert overall.days_to_resolution == Decimal("75.0")


def test_an_empty_window_is_an_error():
    with pytest.raises(ValueError):
        waiting_figures([], start=dt.date(2026, 3, 1), end=dt.date(2026, 1, 1), tz=JAKARTA)


moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 12, 31), timezones=st.just(UTC))
waits = st.one_of(st.none(), st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=120)))


@st.composite
def case_times(draw):
    requested = draw(moments)
    later = [draw(waits) for _ in range(3)]
    return CaseTimes(requested, *[None if wait is None else requested + wait for wait in later])


@given(st.lists(st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=400)), min_size=1))
def test_the_median_lies_between_the_shortest_and_longest_wait(values):
    median = median_days(values)
    days = [Decimal(v.total_seconds()) / 86400 for v in values]
    assert min(days) - Decimal("0.05") <= median <= max(days) + Decimal("0.05")
    assert abs(median - Decimal(str(statistics.median(v.total_seconds() for v in values))) / 86400) <= Decimal("0.05")


@given(st.lists(case_times(), max_size=30))
def test_the_months_add_up_to_the_whole_window(cases):
    overall, months = waiting_figures(cases, start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 1), tz=JAKARTA)
    assert len(months) == 24
    assert sum(m.figures.requested for m in months) == overall.requested
    assert sum(m.figures.resolved for m in months) == overall.resolved
    assert overall.resolved == sum(
        1 for case in cases if case.resolved_at and case.resolved_at.astimezone(JAKARTA).year <= 2026
    )


@given(st.lists(case_times(), max_size=20), st.randoms())
def test_the_order_of_cases_does_not_matter(cases, rng):
    shuffled = list(cases)
    rng.shuffle(shuffled)
    window = {"start": dt.date(2025, 1, 1), "end": dt.date(2026, 12, 1), "tz": JAKARTA}
    assert waiting_figures(cases, **window) == waiting_figures(shuffled, **window)

"""Clinic throughput and waiting times, from the timestamps of each case (pure Python).

A wait counts in the month it ended: "median days to triage in March" is over the cases
triaged in March. Counting by the month of the request instead would make recent months look
fast only because their slow cases have not finished yet.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class CaseTimes:
    requested_at: dt.datetime
    triaged_at: dt.datetime | None = None
    first_session_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None


@dataclass(frozen=True)
class Figures:
    requested: int
    resolved: int
    days_to_triage: Decimal | None
    days_to_first_session: Decimal | None
    days_to_resolution: Decimal | None


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date
    figures: Figures


def in_days(wait: dt.timedelta) -> Decimal:
    """A wait in days, one decimal; a moment recorded before the request counts as no wait."""
    days = Decimal(str(max(0.0, wait.total_seconds()))) / SECONDS_PER_DAY
    return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def median_days(waits: Iterable[dt.timedelta]) -> Decimal | None:
    """The median of the waits in days, one decimal; None when there is none."""
    seconds = [max(0.0, wait.total_seconds()) for wait in waits]
    if not seconds:
        return None
    return in_days(dt.timedelta(seconds=statistics.median(seconds)))


def _month_of(moment: dt.datetime, tz) -> dt.date:
    return moment.astimezone(tz).date().replace(day=1)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _figures(cases: list[CaseTimes], in_window) -> Figures:
    def waits(field: str) -> list[dt.timedelta]:
        return [
            getattr(case, field) - case.requested_at
            for case in cases
            if getattr(case, field) is not None and in_window(getattr(case, field))
        ]

    return Figures(
        requested=sum(1 for case in cases if in_window(case.requested_at)),
        resolved=sum(1 for case in cases if case.resolved_at is not None and in_window(case.resolved_at)),
        days_to_triage=median_days(waits("triaged_at")),
        days_to_first_session=median_days(waits("first_session_at")),
        days_to_resolution=median_days(waits("resolved_at")),
    )


def waiting_figures(
    cases: Iterable[CaseTimes], *, start: dt.date, end: dt.date, tz
) -> tuple[Figures, list[MonthFigures]]:
    """Figures over the months from `start` to `end` (inclusive), overall and month by month."""
    if end < start:
        raise ValueError("end must not be before start")
    cases = list(cases)
    months = _months(start, end)
    overall = _figures(cases, lambda moment: months[0] <= _month_of(moment, tz) <= months[-1])
    by_month = [
        MonthFigures(month, _figures(cases, lambda moment, month=month: _month_of(moment, tz) == month))
        for month in months
    ]
    return overall, by_month

"""Scheduled reminders: each app with something to remind people of registers a source (a
function of today's date giving `Reminder`s) from its AppConfig.ready(); `reminders_send` runs
every source and sends each reminder to each person once (see services.reminder_send)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from .services import reminder_send


@dataclass(frozen=True)
class Reminder:
    kind: str
    # What makes this reminder this one and no other: the record, its date and the threshold
    # (a deadline moved to another date is a new reminder).
    key: str
    recipients: tuple
    title: str
    body: str = ""
    url: str = ""
    region: object = None
    # Called with the number of people who got it this run (only when some did), e.g. to keep
    # the source's own record of reminders.
    on_sent: Callable[[int], None] | None = None


Source = Callable[[dt.date], Iterable[Reminder]]
_sources: list[Source] = []


def reminder_source(function: Source) -> Source:
    """Register `function` with the scheduler (used as a decorator in an app's reminders.py)."""
    if function not in _sources:
        _sources.append(function)
    return function


def registered_sources() -> list[Source]:
    return list(_sources)


def reminders_send(*, today: dt.date | None = None) -> Counter:
    """Run every source for `today` and send what is due; returns sends per kind. Safe to run as
    often as wanted and twice at once."""
    today = today or timezone.localdate()
    sent: Counter = Counter()
    for source in _sources:
        for reminder in source(today):
            count = reminder_send(
                kind=reminder.kind, key=reminder.key, recipients=reminder.recipients, title=reminder.title,
                body=reminder.body, url=reminder.url, region=reminder.region,
            )  # fmt: skip
            if count and reminder.on_sent is not None:
                reminder.on_sent(count)
            sent[reminder.kind] += count
    return sent


def threshold_for(days_left: int, thresholds: tuple[int, ...]) -> int | None:
    """The threshold a deadline `days_left` away falls under: the smallest one at or above it
    (with 7, 3, 1: days 7–4 give 7, days 3–2 give 3, days 1–0 give 1). Each threshold is sent
    once, so a run that missed the seventh day still reminds on the fifth. None when the
    deadline has passed or lies further than the largest threshold."""
    if days_left < 0:
        return None
    reached = [days for days in thresholds if days_left <= days]
    return min(reached) if reached else None

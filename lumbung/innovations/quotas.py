"""Quota arithmetic of the programmes (SOSIS, PM Indah), free of Django so it can be tested
with generated rosters.

Credit for an innovation goes to its unit (and, when sub-units count, the units above it) and to
its owner and initiator officials. An official keeps the credit after moving to another unit:
credit follows the person, and the roster only decides who is in office on a date. A programme's
minimum stage is checked against the stage the innovation had on the day asked about, so last
year's trial does not count as this year's implementation in the trend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class StageChange:
    """A recorded change of an innovation's stage (ranks: 1 initiative, 2 trial, 3 implementation)."""

    day: dt.date
    before: int
    after: int


@dataclass(frozen=True)
class Credit:
    """An innovation that may count for the programme (right status and still running)."""

    innovation_id: int
    unit_path: str  # materialised path of its unit, "/4/17/"
    official_ids: frozenset[int]  # owners and initiators on the roster
    registered_on: dt.date
    counts_from: dt.date  # when it reached the programme's minimum status
    stage: int  # the stage rank it has now
    stage_changes: tuple[StageChange, ...] = ()  # oldest first

    def stage_on(self, day: dt.date) -> int:
        """The stage rank at the end of `day`: before a recorded change, the stage it replaced;
        after the last one (or without any), the current stage."""
        for change in self.stage_changes:
            if day < change.day:
                return change.before
        return self.stage


@dataclass(frozen=True)
class Post:
    """A definitive position on the roster (organisation.Assignment)."""

    official_id: int
    unit_id: int
    tier: int | None  # 2, 3, 4 for echelon II-IV
    start: dt.date
    end: dt.date | None

    def holds_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def live_credits(
    credits: Iterable[Credit], *, as_of: dt.date, since: dt.date | None, min_stage: int = 1
) -> list[Credit]:
    """Credits registered within [since, as_of], counting by `as_of` and at `min_stage` or beyond then."""
    return [
        credit
        for credit in credits
        if credit.counts_from <= as_of
        and credit.registered_on <= as_of
        and (since is None or credit.registered_on >= since)
        and credit.stage_on(as_of) >= min_stage
    ]


def unit_credits(
    unit_ids: Iterable[int],
    credits: Iterable[Credit],
    *,
    as_of: dt.date,
    since: dt.date | None,
    include_subunits: bool,
    min_stage: int = 1,
) -> dict[int, list[int]]:
    """The counting innovations (ids) each target unit owns on `as_of`."""
    owned: dict[int, list[int]] = {unit_id: [] for unit_id in unit_ids}
    for credit in live_credits(credits, as_of=as_of, since=since, min_stage=min_stage):
        ids = path_ids(credit.unit_path)
        for unit_id in ids if include_subunits else ids[-1:]:
            if unit_id in owned:
                owned[unit_id].append(credit.innovation_id)
    return owned


def officials_in_office(posts: Iterable[Post], *, on: dt.date, tiers: Iterable[int]) -> dict[int, Post]:
    """The echelon officials in office on `on`, each with the post they held then (the highest
    tier when the roster shows two)."""
    wanted = set(tiers)
    holders: dict[int, Post] = {}
    for post in posts:
        if post.tier in wanted and post.holds_on(on):
            current = holders.get(post.official_id)
            if current is None or (post.tier or 9) < (current.tier or 9):
                holders[post.official_id] = post
    return holders


def official_credits(
    posts: Iterable[Post],
    credits: Iterable[Credit],
    *,
    as_of: dt.date,
    since: dt.date | None,
    tiers: Iterable[int],
    min_stage: int = 1,
) -> dict[int, list[int]]:
    """The counting innovations (ids) each official in office on `as_of` owns or initiated."""
    owned: dict[int, list[int]] = {official_id: [] for official_id in officials_in_office(posts, on=as_of, tiers=tiers)}
    for credit in live_credits(credits, as_of=as_of, since=since, min_stage=min_stage):
        for official_id in credit.official_ids:
            if official_id in owned:
                owned[official_id].append(credit.innovation_id)
    return owned


@dataclass(frozen=True)
class Tally:
    total: int
    compliant: int

    @property
    def missing(self) -> int:
        return self.total - self.compliant

    @property
    def percent(self) -> float:
        return 100.0 * self.compliant / self.total if self.total else 0.0


def tally(owned: dict[int, list[int]], min_count: int) -> Tally:
    return Tally(total=len(owned), compliant=sum(1 for ids in owned.values() if len(ids) >= min_count))


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of each month from `start`'s month to `end`'s month; `end` itself last."""
    days = []
    year, month = start.year, start.month
    while (year, month) < (end.year, end.month):
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        days.append(following - dt.timedelta(days=1))
        year, month = following.year, following.month
    days.append(end)
    return days


def trend(days: Sequence[dt.date], credits_on, min_count: int) -> list[tuple[dt.date, Tally]]:
    """Compliance on each day; `credits_on(day)` returns who owns what on that day."""
    return [(day, tally(credits_on(day), min_count)) for day in days]

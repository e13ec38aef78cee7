"""The roster's date logic: positions on a date, rotations that keep history, no overlapping
definitive positions. Property tests build random careers and check every boundary date."""

import datetime as dt
from itertools import combinations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbung.organisation import services
from lumbung.organisation.models import Assignment, Echelon

from .factories import OfficialFactory, RegionFactory, UnitFactory

FIRST_DAY = dt.date(2015, 1, 5)

careers = st.lists(
    st.tuples(st.integers(min_value=1, max_value=900), st.integers(min_value=0, max_value=2)), min_size=1, max_size=6
)
db_property = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _random_career(steps):
    """An official of a new region who starts the first position, then rotates for each later
    step; returns the official and [(start, unit)]."""
    region = RegionFactory()
    units = [UnitFactory(region=region) for _ in range(3)]
    official = OfficialFactory(region=region)
    return official, _career(official, units, steps, actor=None)


def _career(official, units, steps, actor):
    plan, day = [], FIRST_DAY
    for index, (gap, unit_index) in enumerate(steps):
        day = day if index == 0 else day + dt.timedelta(days=gap)
        unit = units[unit_index]
        change = services.assignment_start if index == 0 else services.official_rotate
        change(
            official=official,
            actor=actor,
            unit=unit,
            position=f"Jabatan {index}",
            echelon=Echelon.III_B,
            start_date=day,
        )
        plan.append((day, unit))
    return plan


def _expected(plan, day):
    held = [unit for start, unit in plan if start <= day]
    return held[-1] if held else None


@db_property
@given(steps=careers)
def test_the_position_on_any_date_follows_the_rotations(db, steps):
    with transaction.atomic():
        official, plan = _random_career(steps)
        boundaries = {FIRST_DAY - dt.timedelta(days=1)}
        for start, _unit in plan:
            boundaries |= {start - dt.timedelta(days=1), start, start + dt.timedelta(days=1)}
        for day in sorted(boundaries):
            held = official.assignment_on(day)
            assert (held.unit if held else None) == _expected(plan, day), day
            assert Assignment.objects.filter(official=official, is_acting=False).on(day).count() == (1 if held else 0)
        transaction.set_rollback(True)


@db_property
@given(steps=careers)
def test_rotations_keep_every_earlier_position_and_never_overlap(db, steps):
    with transaction.atomic():
        official, plan = _random_career(steps)
        positions = list(official.assignments.order_by("start_date"))
        assert [(p.start_date, p.unit) for p in positions] == plan
        assert positions[-1].end_date is None
        for earlier, later in zip(positions, positions[1:], strict=False):
            assert earlier.end_date == later.start_date - dt.timedelta(days=1)
        for first, second in combinations(positions, 2):
            assert first.end_date is not None and first.end_date < second.start_date
        transaction.set_rollback(True)


@pytest.fixture
def official(db):
    region = RegionFactory()
    official = OfficialFactory(region=region)
    services.assignment_start(
        official=official,
        actor=None,
        unit=UnitFactory(region=region),
        position="Kepala Bidang",
        echelon=Echelon.III_B,
        start_date=dt.date(2022, 3, 1),
    )
    return official


def test_a_rotation_on_or_before_the_current_start_changes_nothing(official):
    unit = UnitFactory(region=official.region)
    with pytest.raises(ValidationError) as caught:
        services.official_rotate(
            official=official,
            actor=None,
            unit=unit,
            position="Sekretaris",
            echelon=Echelon.III_A,
            start_date=dt.date(2022, 3, 1),
        )
    assert "sesudah TMT jabatan sekarang" in str(caught.value)
    assert official.assignments.count() == 1
    assert official.assignments.get().end_date is None


def test_a_rotation_without_a_current_position_is_refused(official):
    with pytest.raises(ValidationError, match="tidak memegang jabatan definitif"):
        services.official_rotate(
            official=official,
            actor=None,
            unit=UnitFactory(region=official.region),
            position="Camat",
            echelon=Echelon.III_A,
            start_date=dt.date(2021, 1, 1),
        )


def test_a_second_definitive_position_at_the_same_time_is_refused_but_an_acting_one_is_allowed(official):
    other = UnitFactory(region=official.region)
    kwargs = {"official": official, "actor": None, "unit": other, "position": "Kepala Dinas", "echelon": Echelon.II_B}
    with pytest.raises(ValidationError) as caught:
        services.assignment_start(**kwargs, start_date=dt.date(2023, 1, 1))
    assert "start_date" in caught.value.error_dict
    acting = services.assignment_start(**kwargs, start_date=dt.date(2023, 1, 1), is_acting=True)
    assert official.assignment_on(dt.date(2023, 6, 1)).unit != other
    assert acting in Assignment.objects.on(dt.date(2023, 6, 1))


def test_ending_a_position_closes_it_on_that_day_inclusive(official):
    position = official.assignments.get()
    services.assignment_end(assignment=position, actor=None, end_date=dt.date(2024, 12, 31), reason="Pensiun")
    assert official.assignment_on(dt.date(2024, 12, 31)) == position
    assert official.assignment_on(dt.date(2025, 1, 1)) is None
    assert position.history.first().history_change_reason == "Pensiun"


def test_an_end_before_the_start_is_refused(official):
    with pytest.raises(ValidationError):
        services.assignment_end(assignment=official.assignments.get(), actor=None, end_date=dt.date(2022, 2, 28))

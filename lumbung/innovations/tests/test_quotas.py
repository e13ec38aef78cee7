"""Quota arithmetic (pure) with generated rosters, and the compliance report on the database."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbung.innovations import quotas
from lumbung.innovations.compliance import programme_compliance
from lumbung.innovations.models import Innovation, InnovationEvent, Programme, TeamMember
from lumbung.organisation.models import Echelon, Unit
from tests.factories import AssignmentFactory, OfficialFactory, UnitFactory

from .factories import InnovationFactory, ProgrammeFactory

DAY = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 12, 31))
UNIT_PATHS = ["/1/", "/1/5/", "/1/5/9/", "/2/", "/2/6/", "/3/"]


@st.composite
def stage_history(draw, registered: dt.date):
    """The stage an innovation has now and the changes recorded on the way, oldest first."""
    stage, changes, day = draw(st.integers(1, 3)), [], registered
    for _change in range(draw(st.integers(0, 3))):
        day += dt.timedelta(days=draw(st.integers(0, 300)))
        after = draw(st.sampled_from([rank for rank in (1, 2, 3) if rank != stage]))
        changes.append(quotas.StageChange(day, stage, after))
        stage = after
    return stage, tuple(changes)


@st.composite
def credits(draw, officials=range(1, 8)):
    items = []
    for number in range(draw(st.integers(0, 12))):
        registered = draw(DAY)
        stage, changes = draw(stage_history(registered))
        items.append(
            quotas.Credit(
                innovation_id=number + 1,
                unit_path=draw(st.sampled_from(UNIT_PATHS)),
                official_ids=frozenset(draw(st.sets(st.sampled_from(list(officials)), max_size=2))),
                registered_on=registered,
                counts_from=registered + dt.timedelta(days=draw(st.integers(0, 200))),
                stage=stage,
                stage_changes=changes,
            )
        )
    return items


def replayed_stage(credit: quotas.Credit, day: dt.date) -> int:
    """The stage at the end of `day`, replaying the changes from the first stage on."""
    stage = credit.stage_changes[0].before if credit.stage_changes else credit.stage
    for change in credit.stage_changes:
        if change.day <= day:
            stage = change.after
    return stage


@st.composite
def careers(draw):
    """Each official's definitive posts, one after another (a rotation ends one and starts the next)."""
    posts = []
    for official_id in range(1, 8):
        start = draw(st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2022, 1, 1)))
        for _move in range(draw(st.integers(1, 3))):
            length = draw(st.integers(30, 900))
            end = start + dt.timedelta(days=length)
            posts.append(
                quotas.Post(official_id, draw(st.integers(1, 6)), draw(st.sampled_from([2, 3, 4, None])), start, end)
            )
            start = end + dt.timedelta(days=1)
    return posts


@settings(max_examples=60, deadline=None)
@given(posts=careers(), items=credits(), day=DAY)
def test_an_official_keeps_the_credit_after_moving_units(posts, items, day):
    """Moving officials to other units never changes what they are credited with."""
    moved = [quotas.Post(p.official_id, (p.unit_id % 6) + 1, p.tier, p.start, p.end) for p in posts]
    tiers = (2, 3, 4)
    assert quotas.official_credits(posts, items, as_of=day, since=None, tiers=tiers) == quotas.official_credits(
        moved, items, as_of=day, since=None, tiers=tiers
    )


@settings(max_examples=60, deadline=None)
@given(posts=careers(), items=credits(), day=DAY)
def test_only_officials_in_office_are_counted(posts, items, day):
    owned = quotas.official_credits(posts, items, as_of=day, since=None, tiers=(2, 3))
    in_office = {p.official_id for p in posts if p.tier in (2, 3) and p.holds_on(day)}
    assert set(owned) == in_office
    for official_id, ids in owned.items():
        expected = {
            c.innovation_id
            for c in items
            if official_id in c.official_ids and c.counts_from <= day and c.registered_on <= day
        }
        assert set(ids) == expected


@settings(max_examples=80, deadline=None)
@given(items=credits(), day=DAY, later=st.integers(0, 400))
def test_unit_credits_grow_with_time_and_with_subunits(items, day, later):
    units = [1, 2, 3, 5, 6, 9]
    now = quotas.unit_credits(units, items, as_of=day, since=None, include_subunits=False)
    with_children = quotas.unit_credits(units, items, as_of=day, since=None, include_subunits=True)
    afterwards = quotas.unit_credits(
        units, items, as_of=day + dt.timedelta(days=later), since=None, include_subunits=False
    )
    for unit in units:
        assert set(now[unit]) <= set(with_children[unit])
        assert set(now[unit]) <= set(afterwards[unit])
    # Without sub-units, each credit lands on exactly one unit (its own).
    assert sum(len(ids) for ids in now.values()) == len(quotas.live_credits(items, as_of=day, since=None))


@settings(max_examples=60, deadline=None)
@given(items=credits(), day=DAY, minimum=st.integers(1, 3))
def test_tally_adds_up(items, day, minimum):
    owned = quotas.unit_credits([1, 2, 3], items, as_of=day, since=None, include_subunits=True)
    tally = quotas.tally(owned, minimum)
    assert tally.compliant + tally.missing == tally.total == 3
    assert 0 <= tally.percent <= 100


@settings(max_examples=80, deadline=None)
@given(items=credits(), day=DAY, min_stage=st.integers(1, 3))
def test_the_minimum_stage_is_checked_against_the_stage_of_that_day(items, day, min_stage):
    """A trial that became an implementation in March counts for an implementation quota from the
    end of March on, not in the months before (the trend reads each month's own stage)."""
    live = {c.innovation_id for c in quotas.live_credits(items, as_of=day, since=None, min_stage=min_stage)}
    for credit in items:
        counting = credit.counts_from <= day and credit.registered_on <= day
        assert (credit.innovation_id in live) is (counting and replayed_stage(credit, day) >= min_stage)


@settings(max_examples=60, deadline=None)
@given(items=credits(), day=DAY, min_stage=st.integers(1, 3))
def test_without_stage_history_the_current_stage_stands_for_every_day(items, day, min_stage):
    """Records from before stage changes were written fall back on their current stage."""
    bare = [dataclasses.replace(credit, stage_changes=()) for credit in items]
    live = {c.innovation_id for c in quotas.live_credits(bare, as_of=day, since=None, min_stage=min_stage)}
    assert live == {
        c.innovation_id for c in bare if c.counts_from <= day and c.registered_on <= day and c.stage >= min_stage
    }


@settings(max_examples=60, deadline=None)
@given(items=credits(), day=DAY)
def test_a_higher_minimum_stage_never_adds_credits(items, day):
    by_minimum = [
        {c.innovation_id for c in quotas.live_credits(items, as_of=day, since=None, min_stage=rank)}
        for rank in (1, 2, 3)
    ]
    assert by_minimum[0] >= by_minimum[1] >= by_minimum[2]


@given(start=DAY, days=st.integers(0, 800))
def test_month_ends_are_ordered_and_end_on_the_day(start, days):
    end = start + dt.timedelta(days=days)
    ends = quotas.month_ends(start, end)
    assert ends[-1] == end
    assert ends == sorted(ends)
    assert all((day + dt.timedelta(days=1)).day == 1 for day in ends[:-1])


# On the database ------------------------------------------------------------------------------


def _counting(innovation, when):
    """Submit the innovation (the event decides from when it counts)."""
    Innovation.objects.filter(pk=innovation.pk).update(status=Innovation.Status.SUBMITTED)
    event = InnovationEvent.objects.create(
        innovation=innovation, action="submit", from_state="draft", to_state="submitted"
    )
    InnovationEvent.objects.filter(pk=event.pk).update(created_at=when)
    Innovation.objects.filter(pk=innovation.pk).update(created_at=when)


@pytest.mark.django_db
def test_pm_indah_credits_a_rotated_official(world, reference_data):
    """An official who made an innovation in their old unit and then moved keeps the credit."""
    old_unit, new_unit = world.unit, world.sibling_unit
    mover = OfficialFactory(region=world.region)
    AssignmentFactory(
        official=mover,
        unit=old_unit,
        echelon=Echelon.III_A,
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2025, 6, 30),
    )
    AssignmentFactory(
        official=mover, unit=new_unit, echelon=Echelon.II_B, position="Kepala Dinas", start_date=dt.date(2025, 7, 1)
    )
    idle = OfficialFactory(region=world.region)
    AssignmentFactory(official=idle, unit=new_unit, echelon=Echelon.IV_A, start_date=dt.date(2023, 1, 1))
    retired = OfficialFactory(region=world.region)
    AssignmentFactory(
        official=retired,
        unit=old_unit,
        echelon=Echelon.IV_A,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2024, 1, 1),
    )
    innovation = InnovationFactory(region=world.region, unit=old_unit, created_by=world.user("admin"), owner=mover)
    _counting(innovation, dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC))
    programme = ProgrammeFactory(
        region=world.region, kind=Programme.Kind.OFFICIAL_QUOTA, name="PM Indah", reference_date=dt.date(2026, 1, 31),
        counts_since=None, created_by=world.user("admin"),
    )  # fmt: skip
    report = programme_compliance(programme)
    rows = {row.key: row for row in report.rows}
    assert rows[mover.pk].compliant and rows[mover.pk].unit == new_unit and rows[mover.pk].position == "Kepala Dinas"
    assert not rows[idle.pk].compliant
    assert retired.pk not in rows  # not in office on the reference date
    # The world's officials (III.b, in office since 2020) are targets too and have nothing.
    assert report.tally.compliant == 1 and report.tally.total == len(rows)
    assert report.trend[-1][0] == dt.date(2026, 1, 31) and report.trend[-1][1].compliant == 1


@pytest.mark.django_db
def test_sosis_counts_units_and_their_subunits(world, reference_data):
    health_centre = UnitFactory(region=world.region, parent=world.sibling_unit, kind=Unit.Kind.HEALTH_CENTRE)
    district = UnitFactory(region=world.region, kind=Unit.Kind.DISTRICT)
    done = InnovationFactory(region=world.region, unit=health_centre, created_by=world.user("admin"))
    _counting(done, dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    draft = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("admin"))
    assert draft.status == Innovation.Status.DRAFT
    trial_only = InnovationFactory(
        region=world.region, unit=world.unit, stage=Innovation.Stage.TRIAL, created_by=world.user("admin")
    )
    _counting(trial_only, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    programme = ProgrammeFactory(
        region=world.region, unit_kinds=[Unit.Kind.OFFICE, Unit.Kind.DISTRICT], min_stage=Innovation.Stage.IMPLEMENTATION,
        reference_date=dt.date(2026, 12, 31), counts_since=dt.date(2026, 1, 1), created_by=world.user("admin"),
    )  # fmt: skip
    report = programme_compliance(programme)
    verdicts = {row.key: row.compliant for row in report.rows}
    assert verdicts == {world.unit.pk: False, world.sibling_unit.pk: True, district.pk: False}
    programme.include_subunits = False
    assert not {row.key: row.compliant for row in programme_compliance(programme).rows}[world.sibling_unit.pk]


@pytest.mark.django_db
def test_compliance_takes_the_same_queries_for_many_units(world, reference_data, django_assert_max_num_queries):
    programme = ProgrammeFactory(region=world.region, created_by=world.user("admin"))
    official_programme = ProgrammeFactory(
        region=world.region, kind=Programme.Kind.OFFICIAL_QUOTA, created_by=world.user("admin")
    )
    for _ in range(15):
        unit = UnitFactory(region=world.region)
        official = OfficialFactory(region=world.region)
        AssignmentFactory(official=official, unit=unit)
        innovation = InnovationFactory(region=world.region, unit=unit, created_by=world.user("admin"), owner=official)
        _counting(innovation, dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
        TeamMember.objects.create(innovation=innovation, name="Warga", role=TeamMember.Role.MEMBER)
    with django_assert_max_num_queries(4):
        assert programme_compliance(programme).tally.compliant == 15
    with django_assert_max_num_queries(4):
        assert programme_compliance(official_programme).tally.compliant == 15


def _stage_changed(innovation, stage, when, **dates):
    """Change the stage through the registry's service (which records it), then date the change."""
    from lumbung.innovations import services

    services.innovation_update(innovation=innovation, actor=innovation.created_by, data={"stage": stage, **dates})
    InnovationEvent.objects.filter(innovation=innovation, action="stage").update(created_at=when)


@pytest.mark.django_db
def test_the_trend_reads_the_stage_each_month_ended_with(world, reference_data):
    """An implementation quota: a trial that became an implementation in March counts from March's
    end; one corrected back down to a trial in May stops counting from May's end."""
    admin = world.user("admin")
    promoted = InnovationFactory(
        region=world.region, unit=world.unit, stage=Innovation.Stage.TRIAL, implementation_date=None, created_by=admin
    )
    _stage_changed(
        promoted, Innovation.Stage.IMPLEMENTATION, dt.datetime(2026, 3, 15, 3, tzinfo=dt.UTC),
        implementation_date=dt.date(2026, 3, 1),
    )  # fmt: skip
    demoted = InnovationFactory(region=world.region, unit=world.sibling_unit, created_by=admin)
    _stage_changed(demoted, Innovation.Stage.TRIAL, dt.datetime(2026, 5, 20, 3, tzinfo=dt.UTC))
    for innovation in (promoted, demoted):
        _counting(innovation, dt.datetime(2026, 1, 10, 3, tzinfo=dt.UTC))
    programme = ProgrammeFactory(
        region=world.region, min_stage=Innovation.Stage.IMPLEMENTATION, counts_since=dt.date(2026, 1, 1),
        reference_date=dt.date(2026, 6, 30), created_by=admin,
    )  # fmt: skip
    report = programme_compliance(programme)
    assert [(day.month, tally.compliant) for day, tally in report.trend] == [
        (1, 1), (2, 1), (3, 2), (4, 2), (5, 1), (6, 1),
    ]  # fmt: skip
    assert {row.key: row.compliant for row in report.rows} == {world.unit.pk: True, world.sibling_unit.pk: False}


@pytest.mark.django_db
def test_records_without_stage_history_keep_their_current_stage_in_the_trend(world, reference_data):
    """Innovations registered before stage changes were recorded have no stage rows at all."""
    innovation = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("admin"))
    _counting(innovation, dt.datetime(2026, 1, 10, 3, tzinfo=dt.UTC))
    assert not innovation.events.filter(action="stage").exists()
    programme = ProgrammeFactory(
        region=world.region, min_stage=Innovation.Stage.IMPLEMENTATION, counts_since=dt.date(2026, 1, 1),
        reference_date=dt.date(2026, 4, 30), created_by=world.user("admin"),
    )  # fmt: skip
    assert [tally.compliant for _day, tally in programme_compliance(programme).trend] == [1, 1, 1, 1]

"""Recusal: the pure rules, and the roster facts read on the round's date."""

import datetime as dt

import pytest
from django.utils import timezone

from lumbung.competitions import judges
from lumbung.competitions.conflicts import (
    DECLARED_ENTRY,
    DECLARED_UNIT,
    OWN_ENTRY,
    SAME_UNIT,
    SUPERVISION,
    EntryFacts,
    JudgeFacts,
    Post,
    outranks,
    recusal_reasons,
)
from lumbung.competitions.models import ConflictDeclaration, Track
from lumbung.competitions.phases import PhaseKind
from lumbung.core.roles import Role
from lumbung.organisation.models import Echelon
from tests.factories import AssignmentFactory, OfficialFactory, UnitFactory, user_with_role

from .factories import make_competition, sent_entry

DINKES, PUSKESMAS, DISKOMINFO = "/1/", "/1/7/", "/2/"


@pytest.mark.parametrize(
    ("posts", "entry", "expected"),
    [
        ([Post(PUSKESMAS, 4)], EntryFacts(PUSKESMAS, None), [SAME_UNIT, SUPERVISION]),
        ([Post(PUSKESMAS, None)], EntryFacts(PUSKESMAS, None), [SAME_UNIT]),
        ([Post(DINKES, 2)], EntryFacts(PUSKESMAS, 4), [SUPERVISION]),
        ([Post(DINKES, 4)], EntryFacts(PUSKESMAS, 3), []),  # a lower post above is no superior
        ([Post(DINKES, 3)], EntryFacts(PUSKESMAS, 3), []),  # the same tier is no superior
        ([Post(DINKES, None)], EntryFacts(PUSKESMAS, None), []),  # staff without echelon supervise nobody
        ([Post(DINKES, 2, acting=True)], EntryFacts(PUSKESMAS, 4), [SUPERVISION]),  # a Plt supervises
        ([Post(PUSKESMAS, 4, acting=True)], EntryFacts(PUSKESMAS, 4), []),  # acting, same tier: no
        ([Post(DISKOMINFO, 2)], EntryFacts(PUSKESMAS, 4), []),  # another branch of the tree
        ([], EntryFacts(None, None), []),  # a citizen's entry has no unit
    ],
)
def test_roster_rules(posts, entry, expected):
    assert recusal_reasons(JudgeFacts("j", posts), "e1", entry) == expected


def test_declared_conflicts_and_own_entries():
    judge = JudgeFacts("j", declared_unit_paths=(DINKES,), declared_entries=frozenset({"e2"}))
    assert recusal_reasons(judge, "e1", EntryFacts(PUSKESMAS, None)) == [DECLARED_UNIT]
    assert recusal_reasons(judge, "e2", EntryFacts(None, None)) == [DECLARED_ENTRY]
    assert recusal_reasons(JudgeFacts("j"), "e3", EntryFacts(None, None, entrant_user="j")) == [OWN_ENTRY]


def test_outranks_compares_echelon_tiers():
    assert outranks(2, 3) and outranks(3, None) and not outranks(None, 4) and not outranks(4, 2)


@pytest.fixture
def health(world):
    """Dinkes with a puskesmas below it, an entry from the puskesmas, and judges on the roster."""
    dinkes = world.sibling_unit
    puskesmas = UnitFactory(region=world.region, parent=dinkes, name="Puskesmas Liwa", kind="health_centre")
    competition = make_competition(region=world.region, phase="screening", tracks=[Track.UNITS])
    desk = competition.round_of_kind(PhaseKind.DESK)
    entry = sent_entry(competition, entrant=world.user(Role.OPERATOR), unit=puskesmas, track=Track.UNITS)
    return dinkes, puskesmas, competition, desk, entry


def _judge_on_roster(world, unit, echelon, start, end=None, acting=False):
    official = OfficialFactory(region=world.region)
    AssignmentFactory(official=official, unit=unit, echelon=echelon, start_date=start, end_date=end, is_acting=acting)
    return user_with_role(Role.JUDGE, world.region, official=official)


def test_recusals_read_the_roster_on_the_rounds_opening_date(world, health):
    dinkes, puskesmas, _competition, desk, entry = health
    day = timezone.localtime(desk.opens_at).date()
    head = _judge_on_roster(world, dinkes, Echelon.II_B, day - dt.timedelta(days=400))
    moved_away = _judge_on_roster(world, puskesmas, Echelon.IV_A, dt.date(2015, 1, 1), day - dt.timedelta(days=1))
    arrives_later = _judge_on_roster(world, puskesmas, Echelon.IV_A, day + dt.timedelta(days=1))
    academic = user_with_role(Role.JUDGE, world.region)
    found = judges.recusals(desk, [entry], [head, moved_away, arrives_later, academic])
    assert found == {(entry.pk, head.pk): [SUPERVISION]}


def test_recusals_include_declarations_for_the_unit_tree(world, health):
    dinkes, _puskesmas, competition, desk, entry = health
    judge = user_with_role(Role.JUDGE, world.region)
    ConflictDeclaration.objects.create(
        competition=competition, judge=judge, unit=dinkes, reason="Istri bekerja di Dinkes"
    )
    assert judges.recusals(desk, [entry], [judge]) == {(entry.pk, judge.pk): [DECLARED_UNIT]}

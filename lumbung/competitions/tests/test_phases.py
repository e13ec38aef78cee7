"""Phases decide what is possible: no proposal after the deadline, no scoring before the round
opens or after it closes, screening only in its round. Time is frozen with time-machine."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from lumbung.competitions import judges, services
from lumbung.competitions.models import Competition, Entry, JudgeAssignment, Track
from lumbung.competitions.phases import Capability, PhaseKind
from lumbung.core.roles import Role
from tests.factories import user_with_role

from .conftest import at
from .factories import sent_entry

pytestmark = pytest.mark.django_db


def fresh(competition):
    """The competition as a new request would load it (rounds cached per instance)."""
    return Competition.objects.get(pk=competition.pk)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2, 28), set()),
        (at(3, 1, 8), {Capability.SUBMIT, Capability.EDIT_ENTRY}),
        (at(3, 31, 23, 58, 59), {Capability.SUBMIT, Capability.EDIT_ENTRY}),
        (at(3, 31, 23, 59), {Capability.SCREEN}),
        (at(4, 10, 20), set()),  # between rounds
        (at(4, 20), {Capability.SCORE}),
        (at(5, 10, 16), set()),
    ],
)
def test_the_open_round_declares_what_is_possible(calendar_competition, moment, expected):
    with time_machine.travel(moment, tick=False):
        assert fresh(calendar_competition).capabilities() == expected


def test_a_draft_or_cancelled_call_allows_nothing(calendar_competition):
    with time_machine.travel(at(3, 15), tick=False):
        for status in (Competition.Status.DRAFT, Competition.Status.CANCELLED):
            Competition.objects.filter(pk=calendar_competition.pk).update(status=status)
            assert fresh(calendar_competition).capabilities() == frozenset()


def test_no_proposal_after_the_deadline(citizen, calendar_competition):
    with time_machine.travel(at(3, 31, 23, 58), tick=False):
        competition = fresh(calendar_competition)
        assert citizen.has_perm("competitions.enter_competition", competition)
        entry = services.entry_start(competition=competition, actor=citizen, track=Track.CITIZENS, title="Kebun Gizi")
    with time_machine.travel(at(3, 31, 23, 59), tick=False):
        competition = fresh(calendar_competition)
        entry = Entry.objects.get(pk=entry.pk)
        assert not citizen.has_perm("competitions.enter_competition", competition)
        assert not citizen.has_perm("competitions.change_entry", entry)
        with pytest.raises(PermissionDenied):
            services.entry_submit(entry=entry, actor=citizen)
        with pytest.raises(PermissionDenied):
            services.entry_autosave(entry=entry, actor=citizen, data={"title": "Terlambat"}, answers={})
        with pytest.raises(PermissionDenied):
            services.entry_start(competition=competition, actor=citizen, track=Track.CITIZENS, title="Baru")


def test_a_sent_proposal_can_be_edited_until_the_deadline_only(citizen, calendar_competition):
    entry = sent_entry(calendar_competition, entrant=citizen)
    with time_machine.travel(at(3, 20), tick=False):
        assert citizen.has_perm("competitions.change_entry", Entry.objects.get(pk=entry.pk))
    with time_machine.travel(at(4, 1), tick=False):
        assert not citizen.has_perm("competitions.change_entry", Entry.objects.get(pk=entry.pk))
        assert not citizen.has_perm("competitions.withdraw_entry", Entry.objects.get(pk=entry.pk))


def test_screening_only_while_its_round_is_open(world, calendar_competition):
    admin = world.user(Role.ADMIN)
    entry = sent_entry(calendar_competition, entrant=world.user(Role.CITIZEN))
    with time_machine.travel(at(3, 20), tick=False), pytest.raises(PermissionDenied):
        services.entry_screen(entry=Entry.objects.get(pk=entry.pk), actor=admin, action="pass")
    with time_machine.travel(at(4, 5), tick=False):
        services.entry_screen(entry=Entry.objects.get(pk=entry.pk), actor=admin, action="pass")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.ELIGIBLE
    assert entry.reached_round.kind == PhaseKind.DESK


def test_no_scoring_before_the_round_opens_nor_after_it_closes(world, calendar_competition):
    desk = calendar_competition.round_of_kind(PhaseKind.DESK)
    judge = user_with_role(Role.JUDGE, world.region)
    entry = sent_entry(calendar_competition, entrant=world.user(Role.CITIZEN), status=Entry.Status.ELIGIBLE,
                       reached=desk)  # fmt: skip
    assignment = JudgeAssignment.objects.create(round=desk, entry=entry, judge=judge)
    card = judges.card_for(assignment)
    values = {c.pk: 4 for c in desk.rubric.criteria.all()}

    def score():
        fresh_card = type(card).objects.select_related("assignment__round__competition").get(pk=card.pk)
        judges.card_save(card=fresh_card, actor=judge, values=values, comments={}, comment="")
        return fresh_card

    for moment in (at(4, 11, 7, 59), at(4, 30, 16)):
        with time_machine.travel(moment, tick=False):
            assert not judge.has_perm("competitions.score_assignment", JudgeAssignment.objects.get(pk=assignment.pk))
            with pytest.raises(PermissionDenied):
                score()
    with time_machine.travel(at(4, 11, 8), tick=False):
        judges.card_submit(card=score(), actor=judge)
    assert card.scores.count() == len(values)


def test_only_a_verified_citizen_may_enter_a_citizen_track(world, calendar_competition):
    unverified = user_with_role(Role.CITIZEN, world.region)
    with time_machine.travel(at(3, 10), tick=False):
        competition = fresh(calendar_competition)
        assert not unverified.has_perm("competitions.enter_competition", competition)
        unverified.email_verified_at = at(3, 9)
        unverified.save()
        assert unverified.has_perm("competitions.enter_competition", competition)
        for role in (Role.JUDGE, Role.ADMIN, Role.OPERATOR):
            assert not world.user(role).has_perm("competitions.enter_competition", competition)

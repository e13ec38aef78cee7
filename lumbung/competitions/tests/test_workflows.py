"""Each state machine as a table: every state × every action × every role, in each phase."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lumbung.competitions.models import Competition, Entry, JudgeAssignment, Panel, ScoreCard
from lumbung.competitions.phases import PhaseKind
from lumbung.competitions.workflows import CARD, COMPETITION, ENTRY
from lumbung.core.roles import Role
from tests.factories import user_with_role

from .conftest import at
from .factories import CompetitionFactory, EntryFactory

pytestmark = pytest.mark.django_db

SUBMISSION, SCREENING, DESK, AFTER_DESK = at(3, 15), at(4, 5), at(4, 20), at(5, 1)
E = Entry.Status

# (phase, role) -> the (state, action) pairs that role may take in that phase.
ENTRY_ALLOWED = {
    (SUBMISSION, "entrant"): {(E.DRAFT, "submit"), (E.DRAFT, "withdraw"), (E.SUBMITTED, "withdraw")},
    (SCREENING, "admin"): {(E.SUBMITTED, "pass"), (E.SUBMITTED, "fail"), (E.ELIGIBLE, "reconsider"),
                           (E.INELIGIBLE, "reconsider")},
}  # fmt: skip


@pytest.fixture
def people(world, citizen):
    return {
        "entrant": citizen,
        "admin": world.user(Role.ADMIN),
        "judge": world.user(Role.JUDGE),
        "other citizen": user_with_role(Role.CITIZEN, world.region),
        "other region's admin": world.other_admin,
    }


@pytest.mark.parametrize("moment", [SUBMISSION, SCREENING, DESK], ids=["submission", "screening", "desk"])
def test_entry_transitions(calendar_competition, people, moment):
    entries = {state: EntryFactory(competition=calendar_competition, entrant=people["entrant"], status=state)
               for state in E.values}  # fmt: skip
    with time_machine.travel(moment, tick=False):
        for role, user in people.items():
            allowed = ENTRY_ALLOWED.get((moment, role), set())
            for state, entry in entries.items():
                entry = Entry.objects.select_related("competition").get(pk=entry.pk)
                for transition in ENTRY.transitions:
                    expected = (state, transition.action) in allowed
                    assert ENTRY.may(user, entry, transition.action) is expected, (role, state, transition.action)


def test_failing_screening_needs_a_reason_and_records_who_when_why(calendar_competition, people):
    entry = EntryFactory(competition=calendar_competition, entrant=people["entrant"], status=E.SUBMITTED)
    with time_machine.travel(SCREENING, tick=False):
        with pytest.raises(ValidationError):
            ENTRY.apply(entry, "fail", actor=people["admin"])
        event = ENTRY.apply(entry, "fail", actor=people["admin"], note="Lampiran surat pernyataan tidak ada.")
    assert (event.actor, event.from_state, event.to_state) == (people["admin"], E.SUBMITTED, E.INELIGIBLE)
    assert event.created_at == SCREENING
    assert entry.events.get().note == "Lampiran surat pernyataan tidak ada."


S = ScoreCard.Status
CARD_ALLOWED = {
    (DESK, "own judge"): {(S.DRAFT, "submit"), (S.SUBMITTED, "reopen")},
    (DESK, "panel lead"): {(S.SUBMITTED, "reopen")},
    (DESK, "admin"): {(S.SUBMITTED, "reopen")},
}


@pytest.mark.parametrize("moment", [SCREENING, DESK, AFTER_DESK], ids=["before", "open", "closed"])
def test_card_transitions(world, calendar_competition, people, moment):
    desk = calendar_competition.round_of_kind(PhaseKind.DESK)
    judges = {name: user_with_role(Role.JUDGE, world.region) for name in ("own judge", "panel lead", "other judge")}
    panel = Panel.objects.create(round=desk, name="Panel", lead=judges["panel lead"])
    entry = EntryFactory(competition=calendar_competition, entrant=people["entrant"], status=E.ELIGIBLE,
                         reached_round=desk)  # fmt: skip
    assignment = JudgeAssignment.objects.create(round=desk, entry=entry, judge=judges["own judge"], panel=panel)
    card = ScoreCard.objects.create(assignment=assignment)
    roles = {**judges, "admin": people["admin"], "entrant": people["entrant"]}
    with time_machine.travel(moment, tick=False):
        for state in S.values:
            ScoreCard.objects.filter(pk=card.pk).update(status=state)
            fresh = ScoreCard.objects.select_related("assignment__round__competition", "assignment__panel").get(
                pk=card.pk
            )
            for role, user in roles.items():
                for transition in CARD.transitions:
                    expected = (state, transition.action) in CARD_ALLOWED.get((moment, role), set())
                    assert CARD.may(user, fresh, transition.action) is expected, (role, state, transition.action)


def test_a_recused_judge_can_no_longer_submit(world, calendar_competition, people):
    desk = calendar_competition.round_of_kind(PhaseKind.DESK)
    judge = user_with_role(Role.JUDGE, world.region)
    entry = EntryFactory(competition=calendar_competition, entrant=people["entrant"], status=E.ELIGIBLE)
    assignment = JudgeAssignment.objects.create(round=desk, entry=entry, judge=judge,
                                                status=JudgeAssignment.Status.RECUSED)  # fmt: skip
    card = ScoreCard.objects.create(assignment=assignment)
    with time_machine.travel(DESK, tick=False):
        assert not CARD.may(judge, card, "submit")


C = Competition.Status
COMPETITION_ALLOWED = {
    "admin": {(C.DRAFT, "publish"), (C.DRAFT, "cancel"), (C.PUBLISHED, "cancel"), (C.PUBLISHED, "publish_results")},
}


def test_competition_transitions(world, people):
    for state in C.values:
        competition = CompetitionFactory(region=world.region, status=state)
        for role, user in people.items():
            for transition in COMPETITION.transitions:
                expected = (state, transition.action) in COMPETITION_ALLOWED.get(role, set())
                assert COMPETITION.may(user, competition, transition.action) is expected, (
                    role,
                    state,
                    transition.action,
                )

"""Panels, automatic and manual assignment around conflicts of interest, and score cards
whose every change is recorded."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from lumbung.competitions import judges
from lumbung.competitions.models import Entry, JudgeAssignment, ScoreCard, ScoreChange, Track
from lumbung.competitions.phases import PhaseKind
from lumbung.core.roles import Role
from lumbung.notifications.models import Notification
from lumbung.organisation.models import Echelon
from tests.factories import AssignmentFactory, OfficialFactory, user_with_role

from .conftest import at
from .factories import sent_entry

pytestmark = pytest.mark.django_db

DESK = at(4, 20)


@pytest.fixture
def desk(world, calendar_competition):
    """Four unit proposals in the desk round; three judges, one of them head of Dinkes."""
    calendar_competition.tracks = [Track.UNITS]
    calendar_competition.judges_per_entry = 2
    calendar_competition.save()
    desk = calendar_competition.round_of_kind(PhaseKind.DESK)
    operator = world.user(Role.OPERATOR)
    for unit in (world.unit, world.unit, world.sibling_unit, world.sibling_unit):
        sent_entry(calendar_competition, entrant=operator, unit=unit, track=Track.UNITS, status=Entry.Status.ELIGIBLE,
                   reached=desk)  # fmt: skip
    head = OfficialFactory(region=world.region)
    AssignmentFactory(official=head, unit=world.sibling_unit, echelon=Echelon.II_B, start_date=dt.date(2024, 1, 1))
    people = [
        user_with_role(Role.JUDGE, world.region, full_name="Juri Akademisi"),
        user_with_role(Role.JUDGE, world.region, full_name="Juri Praktisi"),
        user_with_role(Role.JUDGE, world.region, full_name="Kepala Dinkes", official=head),
    ]
    with time_machine.travel(at(4, 1), tick=False):
        judges.panel_save(round_=desk, actor=world.user(Role.ADMIN), name="Panel 1", members=people, lead=people[0])
    return desk, people


def test_automatic_assignment_is_balanced_and_skips_conflicts(world, desk, django_capture_on_commit_callbacks):
    round_, (academic, practitioner, head) = desk
    with time_machine.travel(DESK, tick=False):
        allocation = judges.assignments_auto(round_=round_, actor=world.user(Role.ADMIN))
    assert allocation.short == {}
    pairs = set(JudgeAssignment.objects.values_list("entry__unit", "judge"))
    assert (world.sibling_unit.pk, head.pk) not in pairs  # the head of Dinkes never judges Dinkes
    loads = [JudgeAssignment.objects.filter(judge=j).count() for j in (academic, practitioner, head)]
    assert sum(loads) == 8 and max(loads) - min(loads) <= 2
    assert Notification.objects.filter(recipient=head, title__startswith="Penugasan menilai").exists()
    with time_machine.travel(DESK, tick=False):
        again = judges.assignments_auto(round_=round_, actor=world.user(Role.ADMIN))
    assert again.assigned == {} and JudgeAssignment.objects.count() == 8


def test_a_conflict_found_later_recuses_the_judge_on_the_next_run(world, desk):
    round_, (academic, practitioner, head) = desk
    entry = Entry.objects.filter(unit=world.unit).first()
    with time_machine.travel(DESK, tick=False):
        judges.assignment_add(round_=round_, entry=entry, judge=academic, actor=world.user(Role.ADMIN))
        # The academic turns out to be posted to Diskominfo (roster updated afterwards).
        post = OfficialFactory(region=world.region)
        AssignmentFactory(official=post, unit=world.unit, echelon=Echelon.NONE, start_date=dt.date(2020, 1, 1))
        academic.official = post
        academic.save()
        judges.assignments_auto(round_=round_, actor=world.user(Role.ADMIN))
    recused = JudgeAssignment.objects.get(entry=entry, judge=academic)
    assert recused.status == JudgeAssignment.Status.RECUSED
    assert "menjabat di perangkat daerah pengusul" in recused.recusal_reason
    assert JudgeAssignment.objects.filter(entry=entry, status="active").count() == 2


def test_a_manual_assignment_with_a_conflict_is_refused_with_the_reason(world, desk):
    round_, (_academic, _practitioner, head) = desk
    entry = Entry.objects.filter(unit=world.sibling_unit).first()
    with time_machine.travel(DESK, tick=False), pytest.raises(ValidationError) as error:
        judges.assignment_add(round_=round_, entry=entry, judge=head, actor=world.user(Role.ADMIN))
    assert "garis atasan pengusul" in error.value.messages[0]


def test_only_judges_of_the_region_sit_on_panels(world, desk):
    round_, people = desk
    with time_machine.travel(DESK, tick=False), pytest.raises(ValidationError):
        judges.panel_save(round_=round_, actor=world.user(Role.ADMIN), name="P", members=[world.user(Role.VERIFIER)],
                          lead=None)  # fmt: skip


def test_a_judge_declaring_a_conflict_steps_aside(world, desk):
    round_, (academic, *_others) = desk
    with time_machine.travel(DESK, tick=False):
        judges.assignments_auto(round_=round_, actor=world.user(Role.ADMIN))
        mine = JudgeAssignment.objects.filter(judge=academic, status="active").select_related("entry")
        entry = mine.first().entry
        judges.conflict_declare(
            competition=round_.competition, judge=academic, entry=entry, reason="Adik saya pengusul."
        )
    assert JudgeAssignment.objects.get(judge=academic, entry=entry).status == JudgeAssignment.Status.RECUSED
    assert not academic.has_perm("competitions.view_entry", entry)


def test_every_change_to_a_card_is_logged(world, desk):
    round_, (academic, *_others) = desk
    entry = Entry.objects.first()
    criteria = list(round_.rubric.criteria.all())
    with time_machine.travel(DESK, tick=False):
        assignment = judges.assignment_add(round_=round_, entry=entry, judge=academic, actor=world.user(Role.ADMIN))
        card = judges.card_for(assignment)
        judges.card_save(card=card, actor=academic, values={criteria[0].pk: 3}, comments={}, comment="")
        with pytest.raises(ValidationError):
            judges.card_submit(card=card, actor=academic)  # four criteria still empty
        judges.card_save(card=card, actor=academic, values={c.pk: 4 for c in criteria},
                         comments={criteria[0].pk: "Data lengkap."}, comment="Layak dilanjutkan.")  # fmt: skip
        with pytest.raises(ValidationError):
            judges.card_save(card=card, actor=academic, values={criteria[0].pk: 6}, comments={}, comment="")
        judges.card_submit(card=card, actor=academic)
        with pytest.raises(ValidationError):
            judges.card_save(card=card, actor=academic, values={criteria[0].pk: 5}, comments={}, comment="")
        judges.card_reopen(card=ScoreCard.objects.get(pk=card.pk), actor=academic, note="Salah klik.")
    changes = list(ScoreChange.objects.filter(card=card).values_list("criterion", "field", "old", "new"))
    assert changes[0] == (criteria[0].pk, "value", "", "3")
    assert (criteria[0].pk, "value", "3", "4") in changes
    assert (criteria[0].pk, "comment", "", "Data lengkap.") in changes
    assert (None, "comment", "", "Layak dilanjutkan.") in changes
    assert len(changes) == 1 + 5 + 1 + 1
    assert list(card.events.values_list("action", "note")) == [("submit", ""), ("reopen", "Salah klik.")]


def test_rubrics_are_the_region_admins_and_lock_once_used(world, desk):
    from lumbung.competitions import services

    round_, (academic, *_others) = desk
    admin = world.user(Role.ADMIN)
    rubric = services.rubric_from_preset(region=world.region, actor=admin, code="iga-presentasi")
    assert [c.weight for c in rubric.criteria.all()] == [30, 25, 15, 20, 10]
    with pytest.raises(PermissionDenied):
        services.rubric_copy(rubric=rubric, actor=world.other_admin)
    with pytest.raises(ValidationError):
        services.criterion_save(rubric=rubric, actor=admin, data={"name": "X", "weight": 5, "levels": ["a", "b"]})
    entry = Entry.objects.first()
    with time_machine.travel(DESK, tick=False):
        assignment = judges.assignment_add(round_=round_, entry=entry, judge=academic, actor=admin)
        judges.card_save(card=judges.card_for(assignment), actor=academic,
                         values={round_.rubric.criteria.first().pk: 3}, comments={}, comment="")  # fmt: skip
    with pytest.raises(ValidationError):
        services.criterion_delete(criterion=round_.rubric.criteria.first(), actor=admin)
    copy = services.rubric_copy(rubric=round_.rubric, actor=admin)
    assert copy.criteria.count() == round_.rubric.criteria.count() and not copy.is_locked

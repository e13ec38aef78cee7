"""Every state × every action × every role, for the row, the assessment and the planned action."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lumbung.actions.models import Action
from lumbung.actions.workflows import ACTION
from lumbung.assessment import services
from lumbung.assessment.models import Answer, AnswerEvent, RowStatus
from lumbung.assessment.workflows import ASSESSMENT, ROW
from lumbung.core.roles import Role
from lumbung.core.workflow import TransitionNotAllowed

from .factories import enter

ROW_MACHINE = ROW[Answer]
EDIT_ACTIONS = {"claim", "revise", "resubmit", "amend", "withdraw"}
JUDGING_ACTIONS = {"accept", "reject"}
# Who holds which permission on a row of an innovation of world.unit.
EDITORS = {"admin", "operator", "national_admin"}
VERIFIERS = {"admin", "verifier", "national_admin"}
ROLES = [
    "admin", "verifier", "operator", "sibling_operator", "leader", "innovator", "judge", "citizen", "other_admin",
    "national_admin",
]  # fmt: skip
# Who did what to the row before the verdict (events, oldest first), and who may therefore not judge it.
AUTHORS = {
    "nobody": ([], set()),
    "operator claimed": ([("claim", "operator")], {"operator"}),
    "admin claimed": ([("claim", "admin")], {"admin"}),
    "operator claimed, admin attached": ([("claim", "operator"), ("attach", "admin")], {"operator", "admin"}),
    "admin claimed, operator revised": ([("claim", "admin"), ("revise", "operator")], {"operator"}),
    "operator claimed, verifier replaced the file": (
        [("claim", "operator"), ("replace_evidence", "verifier")], {"operator", "verifier"},
    ),
    "national admin resubmitted": ([("claim", "operator"), ("resubmit", "national_admin")], {"national_admin"}),
    "admin claimed, verifier judged": ([("claim", "admin"), ("reject", "verifier")], {"admin"}),
}  # fmt: skip


@pytest.fixture
def people(world):
    from tests.factories import user_with_role

    users = {
        role: world.user(role) for role in ("admin", "verifier", "operator", "leader", "innovator", "judge", "citizen")
    }
    users["sibling_operator"] = user_with_role(Role.OPERATOR, world.region, world.sibling_unit)
    users["other_admin"] = world.other_admin
    users["national_admin"] = world.national_admin
    return users


def _set_state(row, state):
    Answer.objects.filter(pk=row.pk).update(status=state, level=0 if state == RowStatus.MISSING else 2)
    row.refresh_from_db()


def _history(row, events, people):
    for action, role in events:
        AnswerEvent.objects.create(answer=row, actor=people[role], action=action, from_state="", to_state="")


@pytest.mark.parametrize("state", RowStatus.values)
def test_row_machine_table(state, rows, people):
    row = rows["17"]
    _set_state(row, state)
    for authors, (events, barred) in AUTHORS.items():
        row.events.all().delete()
        _history(row, events, people)
        for transition in ROW_MACHINE.transitions:
            action = transition.action
            if action in EDIT_ACTIONS:
                allowed_role = {role for role in ROLES if role in EDITORS}
            else:
                allowed_role = {role for role in ROLES if role in VERIFIERS}
                if action in JUDGING_ACTIONS:
                    allowed_role -= barred
            for role in ROLES:
                expected = state in transition.source and role in allowed_role
                assert ROW_MACHINE.may(people[role], row, action) is expected, (state, authors, action, role)


def test_the_author_of_a_claim_is_refused_the_verdict_with_a_reason(rows, people):
    row = rows["17"]
    services.answer_set(row=row, level=2, actor=people["admin"])
    with pytest.raises(ValidationError) as refused:
        services.row_transition(row=row, action="reject", actor=people["admin"], reason="not_signed")
    assert refused.value.code == "own_work" and "verifikator lain" in refused.value.messages[0]
    services.row_transition(row=row, action="reject", actor=people["verifier"], reason="not_signed")
    assert row.status == RowStatus.REJECTED
    with pytest.raises(PermissionDenied):  # not a reviewer at all: no reason to explain
        services.row_transition(row=row, action="reopen", actor=people["operator"], note="x")


@pytest.mark.parametrize("state", RowStatus.values)
def test_nobody_may_act_on_rows_of_a_locked_assessment(state, rows, people, assessment, admin):
    row = rows["17"]
    _set_state(row, state)
    services.assessment_transition(assessment=assessment, action="lock", actor=admin)
    row.entry.assessment.refresh_from_db()
    for action in [t.action for t in ROW_MACHINE.transitions]:
        for role in ROLES:
            assert not ROW_MACHINE.may(people[role], row, action), (state, action, role)


def test_applying_writes_an_event_with_who_from_to_and_why(rows, people):
    row = rows["17"]
    _set_state(row, RowStatus.CLAIMED)
    event = ROW_MACHINE.apply(row, "reject", actor=people["verifier"], note="SK belum ditandatangani")
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        people["verifier"], "claimed", "rejected", "SK belum ditandatangani",
    )  # fmt: skip
    assert row.events.count() == 1


def test_a_stale_row_loses_cleanly(rows, people):
    row = rows["17"]
    _set_state(row, RowStatus.CLAIMED)
    stale = Answer.objects.select_related("entry__assessment", "entry__innovation__unit", "indicator").get(pk=row.pk)
    ROW_MACHINE.apply(row, "accept", actor=people["verifier"])
    with pytest.raises(TransitionNotAllowed):
        ROW_MACHINE.apply(stale, "reject", actor=people["verifier"], note="x")


@pytest.mark.parametrize("status", ["open", "locked"])
def test_assessment_machine_table(status, assessment, people):
    assessment.status = status
    assessment.save(update_fields=["status"])
    for transition in ASSESSMENT.transitions:
        for role in ROLES:
            expected = status in transition.source and role in ("admin", "national_admin")
            assert ASSESSMENT.may(people[role], assessment, transition.action) is expected, (
                status,
                transition.action,
                role,
            )


@pytest.mark.parametrize("status", Action.Status.values)
def test_planned_action_machine_table(status, assessment, people, world, admin):
    item = services.planned_action_create(
        assessment=assessment, actor=admin, description="Unggah SK tim", gain=1, unit=world.unit
    )
    Action.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    for transition in ACTION.transitions:
        workers = {"admin", "national_admin"}
        if transition.permission == "actions.work_on_action":
            workers.add("operator")
        for role in ROLES:
            expected = status in transition.source and role in workers
            assert ACTION.may(people[role], item, transition.action) is expected, (
                status,
                transition.action,
                role,
            )


def test_an_operator_of_another_unit_may_not_touch_rows(assessment, admin, world, people):
    entry = enter(assessment, admin, unit=world.sibling_unit)
    row = entry.answers.select_related("entry__assessment", "entry__innovation__unit", "indicator").first()
    assert not ROW_MACHINE.may(people["operator"], row, "claim")
    assert ROW_MACHINE.may(people["sibling_operator"], row, "claim")

"""Every state × every action × every role, for the row, the assessment and the planned action."""

import pytest

from lumbung.assessment import services
from lumbung.assessment.models import Answer, PlannedAction, RowStatus
from lumbung.assessment.workflows import ASSESSMENT, PLANNED_ACTION, ROW
from lumbung.core.roles import Role
from lumbung.core.workflow import TransitionNotAllowed

from .factories import enter

ROW_MACHINE = ROW[Answer]
EDIT_ACTIONS = {"claim", "revise", "resubmit", "amend", "withdraw"}
VERIFY_ACTIONS = {"accept", "reject", "reopen"}
# Who holds which permission on a row of an innovation of world.unit.
EDITORS = {"admin", "operator"}
VERIFIERS = {"admin", "verifier"}
ROLES = ["admin", "verifier", "operator", "sibling_operator", "leader", "innovator", "judge", "citizen", "other_admin"]


@pytest.fixture
def people(world):
    from tests.factories import user_with_role

    users = {
        role: world.user(role) for role in ("admin", "verifier", "operator", "leader", "innovator", "judge", "citizen")
    }
    users["sibling_operator"] = user_with_role(Role.OPERATOR, world.region, world.sibling_unit)
    users["other_admin"] = world.other_admin
    return users


def _set_state(row, state):
    Answer.objects.filter(pk=row.pk).update(status=state, level=0 if state == RowStatus.MISSING else 2)
    row.refresh_from_db()


@pytest.mark.parametrize("state", RowStatus.values)
def test_row_machine_table(state, rows, people):
    row = rows["17"]
    _set_state(row, state)
    for action in [t.action for t in ROW_MACHINE.transitions]:
        transition = ROW_MACHINE.get(action)
        in_source = state in transition.source
        for role in ROLES:
            allowed_role = (role in EDITORS) if action in EDIT_ACTIONS else (role in VERIFIERS)
            expected = in_source and allowed_role
            assert ROW_MACHINE.may(people[role], row, action) is expected, (state, action, role)


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
            expected = status in transition.source and role == "admin"
            assert ASSESSMENT.may(people[role], assessment, transition.action) is expected, (
                status,
                transition.action,
                role,
            )


@pytest.mark.parametrize("status", PlannedAction.Status.values)
def test_planned_action_machine_table(status, assessment, people, world, admin):
    item = services.planned_action_create(
        assessment=assessment, actor=admin, description="Unggah SK tim", gain=1, unit=world.unit
    )
    PlannedAction.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    for transition in PLANNED_ACTION.transitions:
        workers = {"admin", "operator"} if transition.permission == "assessment.work_on_action" else {"admin"}
        for role in ROLES:
            expected = status in transition.source and role in workers
            assert PLANNED_ACTION.may(people[role], item, transition.action) is expected, (
                status,
                transition.action,
                role,
            )


def test_an_operator_of_another_unit_may_not_touch_rows(assessment, admin, world, people):
    entry = enter(assessment, admin, unit=world.sibling_unit)
    row = entry.answers.select_related("entry__assessment", "entry__innovation__unit", "indicator").first()
    assert not ROW_MACHINE.may(people["operator"], row, "claim")
    assert ROW_MACHINE.may(people["sibling_operator"], row, "claim")

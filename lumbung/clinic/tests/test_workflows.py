"""The case and action-item state machines as tables: every state × every action × every role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lumbung.actions.models import Action, ActionEvent
from lumbung.actions.workflows import ACTION
from lumbung.clinic.models import Case, CaseEvent
from lumbung.clinic.workflows import CASE
from lumbung.core.workflow import TransitionNotAllowed

from .conftest import ACTORS
from .factories import ActionItemFactory

S = Case.Status
WORKERS = {"admin", "national_admin", "mentor"}
REQUESTER_SIDE = {"requester", "unit_operator"}
# Who may take each action, from the states it starts from.
MAY = {
    "triage": {"admin", "national_admin"},
    "start": WORKERS,
    "ask": WORKERS,
    "respond": REQUESTER_SIDE,
    "resolve": WORKERS,
    "close": {"requester", "admin", "national_admin"},
    "reopen": {"requester", "admin", "national_admin"},
    "decline": {"admin", "national_admin"},
    "withdraw": {"requester"},
}
SOURCES = {
    "triage": {S.NEW},
    "start": {S.TRIAGED},
    "ask": {S.MENTORING},
    "respond": {S.WAITING},
    "resolve": {S.MENTORING, S.WAITING},
    "close": {S.RESOLVED},
    "reopen": {S.RESOLVED, S.CLOSED},
    "decline": {S.NEW, S.TRIAGED},
    "withdraw": {S.NEW, S.TRIAGED, S.MENTORING, S.WAITING},
}
TARGETS = {
    "triage": S.TRIAGED,
    "start": S.MENTORING,
    "ask": S.WAITING,
    "respond": S.MENTORING,
    "resolve": S.RESOLVED,
    "close": S.CLOSED,
    "reopen": S.MENTORING,
    "decline": S.DECLINED,
    "withdraw": S.CLOSED,
}
NOTE_REQUIRED = {"ask", "resolve", "reopen", "decline"}


def test_the_tables_cover_every_transition():
    assert set(MAY) == set(SOURCES) == set(TARGETS) == {t.action for t in CASE.transitions}


@pytest.mark.parametrize("state", S.values)
def test_who_may_take_which_case_action_in_each_state(state, make_case, cast):
    case = make_case(state)
    for action in MAY:
        for actor in ACTORS:
            expected = state in SOURCES[action] and actor in MAY[action]
            assert CASE.may(cast[actor], case, action) is expected, (state, action, actor)


@pytest.mark.parametrize("action", sorted(MAY))
def test_an_allowed_action_moves_the_case_and_records_who_when_and_why(action, make_case, cast):
    for state in sorted(SOURCES[action]):
        for actor in sorted(MAY[action]):
            case = make_case(state)
            event = CASE.apply(case, action, actor=cast[actor], note="Catatan uji.")
            case.refresh_from_db()
            assert case.status == TARGETS[action]
            assert (event.actor, event.from_state, event.to_state, event.note) == (
                cast[actor],
                state,
                TARGETS[action],
                "Catatan uji.",
            )
            assert CaseEvent.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("action", sorted(MAY))
def test_a_refused_action_changes_nothing(action, make_case, cast):
    for state in S.values:
        for actor in ACTORS:
            if state in SOURCES[action] and actor in MAY[action]:
                continue
            case = make_case(state)
            expected = TransitionNotAllowed if state not in SOURCES[action] else PermissionDenied
            with pytest.raises(expected):
                CASE.apply(case, action, actor=cast[actor], note="x")
            case.refresh_from_db()
            assert case.status == state
            assert not CaseEvent.objects.filter(case=case).exists()


@pytest.mark.parametrize("action", sorted(NOTE_REQUIRED))
def test_some_actions_need_a_reason(action, make_case, cast):
    case = make_case(sorted(SOURCES[action])[0])
    with pytest.raises(ValidationError):
        CASE.apply(case, action, actor=cast["admin"] if "admin" in MAY[action] else cast["requester"], note="  ")
    case.refresh_from_db()
    assert case.status in SOURCES[action]


def test_a_concurrent_change_loses_cleanly(make_case, cast):
    case = make_case(S.MENTORING)
    stale = Case.objects.get(pk=case.pk)
    CASE.apply(case, "resolve", actor=cast["mentor"], note="Selesai.")
    with pytest.raises(TransitionNotAllowed):
        CASE.apply(stale, "ask", actor=cast["mentor"], note="Lengkapi.")
    assert Case.objects.get(pk=case.pk).status == S.RESOLVED


def test_a_mentor_who_lost_the_role_can_no_longer_work_the_case(make_case, cast):
    case = make_case(S.MENTORING)
    cast["mentor"].role_assignments.update(is_active=False)
    cast["mentor"].__dict__.pop("active_roles", None)
    assert not CASE.may(cast["mentor"], case, "resolve")


A = Action.Status
ITEM_SOURCES = {
    "start": {A.OPEN},
    "finish": {A.OPEN, A.IN_PROGRESS},
    "cancel": {A.OPEN, A.IN_PROGRESS},
    "reopen": {A.DONE, A.CANCELLED},
}
ITEM_TARGETS = {"start": A.IN_PROGRESS, "finish": A.DONE, "cancel": A.CANCELLED, "reopen": A.OPEN}
# The owner, the case's mentor and the admin; not the rest of the requester's side.
ITEM_MAY = {"requester", "mentor", "admin", "national_admin"}


def test_the_item_table_covers_every_transition():
    assert set(ITEM_SOURCES) == {t.action for t in ACTION.transitions}


@pytest.mark.parametrize("state", A.values)
def test_who_may_change_an_action_item_in_each_state(state, make_case, cast):
    case = make_case(S.MENTORING)
    for action in ITEM_SOURCES:
        for actor in ACTORS:
            item = ActionItemFactory(case=case, owner=cast["requester"], created_by=cast["mentor"], status=state)
            allowed = state in ITEM_SOURCES[action] and actor in ITEM_MAY
            assert ACTION.may(cast[actor], item, action) is allowed, (state, action, actor)
            note = "Tidak diperlukan lagi" if action == "cancel" else ""
            if allowed:
                ACTION.apply(item, action, actor=cast[actor], note=note)
                item.refresh_from_db()
                assert item.status == ITEM_TARGETS[action]
                assert ActionEvent.objects.get(item=item).to_state == ITEM_TARGETS[action]
            else:
                with pytest.raises((TransitionNotAllowed, PermissionDenied)):
                    ACTION.apply(item, action, actor=cast[actor], note=note)
                assert Action.objects.get(pk=item.pk).status == state

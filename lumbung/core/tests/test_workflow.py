"""core.workflow.StateMachine as a table: every state × every action × every role, on a real
model (an innovation and its event rows) with a small machine declared here."""

import itertools

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError

from lumbung.core.predicates import has_region_role
from lumbung.core.roles import Role
from lumbung.core.workflow import StateMachine, Transition, TransitionNotAllowed
from lumbung.innovations.models import GovernmentAffair, Innovation, InnovationEvent

S = Innovation.Status
STATES = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.PUBLISHED]


@rules.predicate
def created_it(user, innovation) -> bool:
    return innovation.created_by_id == user.pk


rules.set_perm("core_test.submit", created_it)
rules.set_perm("core_test.review", has_region_role(Role.VERIFIER))

MACHINE = StateMachine(
    state_field="status",
    event_model=InnovationEvent,
    event_object_field="innovation",
    transitions=[
        Transition("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, "Ajukan", "core_test.submit"),
        Transition("return", {S.SUBMITTED}, S.RETURNED, "Kembalikan", "core_test.review", note_required=True),
        Transition("publish", {S.SUBMITTED}, S.PUBLISHED, "Terbitkan", "core_test.review"),
        Transition("archive", {S.PUBLISHED}, S.DRAFT, "Arsipkan", None),  # the system's own move
    ],
)
# Who may take each action, whatever the state: the creator submits, the verifier reviews.
ALLOWED = {"submit": {"creator"}, "return": {"verifier"}, "publish": {"verifier"}, "archive": set()}
PEOPLE = ["creator", "verifier", "operator", "other_region_verifier"]


@pytest.fixture
def people(world):
    return {
        "creator": world.user(Role.OPERATOR),
        "verifier": world.user(Role.VERIFIER),
        "operator": world.user(Role.INNOVATOR),
        "other_region_verifier": _verifier_of(world.other_region),
    }


def _verifier_of(region):
    from tests.factories import user_with_role

    return user_with_role(Role.VERIFIER, region)


@pytest.fixture
def make_innovation(world, people):
    affair = GovernmentAffair.objects.get_or_create(
        code="kesehatan", defaults={"name": "Kesehatan", "kind": GovernmentAffair.Kind.BASIC_SERVICE}
    )[0]

    def make(status):
        return Innovation.objects.create(
            region=world.region, unit=world.unit, name="Posyandu Digital", initiator_kind=Innovation.InitiatorKind.UNIT,
            form=Innovation.Form.PUBLIC_SERVICE, main_affair=affair, created_by=people["creator"], status=status,
        )  # fmt: skip

    return make


@pytest.mark.parametrize(
    ("state", "action", "person"), list(itertools.product(STATES, [t.action for t in MACHINE.transitions], PEOPLE))
)
def test_every_state_action_and_person(make_innovation, people, state, action, person):
    innovation = make_innovation(state)
    user = people[person]
    transition = MACHINE.get(action)
    expected = state in transition.source and person in ALLOWED[action]
    assert MACHINE.may(user, innovation, action) is expected
    assert (transition in MACHINE.available(user, innovation)) is expected
    if expected:
        event = MACHINE.apply(innovation, action, actor=user, note="Lengkapi data dukung.")
        innovation.refresh_from_db()
        assert innovation.status == transition.target
        assert (event.actor, event.from_state, event.to_state, event.action) == (user, state, transition.target, action)
        assert event.note == "Lengkapi data dukung."
        return
    error = TransitionNotAllowed if state not in transition.source else PermissionDenied
    with pytest.raises(error):
        MACHINE.apply(innovation, action, actor=user, note="Catatan")
    innovation.refresh_from_db()
    assert innovation.status == state
    assert not innovation.events.exists()


def test_a_required_note_must_be_written(make_innovation, people):
    innovation = make_innovation(S.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        MACHINE.apply(innovation, "return", actor=people["verifier"], note="   ")
    assert caught.value.code == "note_required"
    innovation.refresh_from_db()
    assert innovation.status == S.SUBMITTED


def test_a_note_with_a_nul_byte_is_refused_before_anything_changes(make_innovation, people):
    """PostgreSQL cannot store it; the view shows the message instead of a server error."""
    innovation = make_innovation(S.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        MACHINE.apply(innovation, "return", actor=people["verifier"], note="Lengkapi\x00 data")
    assert caught.value.messages == ["Karakter null tidak diizinkan."]
    innovation.refresh_from_db()
    assert innovation.status == S.SUBMITTED
    assert not innovation.events.exists()


def test_a_system_transition_runs_only_as_the_system(make_innovation, people):
    innovation = make_innovation(S.PUBLISHED)
    event = MACHINE.apply(innovation, "archive", actor=None, system=True)
    assert (event.actor, innovation.status) == (None, S.DRAFT)


def test_the_second_of_two_concurrent_changes_loses_cleanly(make_innovation, people):
    innovation = make_innovation(S.SUBMITTED)
    stale = Innovation.objects.get(pk=innovation.pk)
    MACHINE.apply(innovation, "publish", actor=people["verifier"])
    with pytest.raises(TransitionNotAllowed):
        MACHINE.apply(stale, "return", actor=people["verifier"], note="Terlambat")
    assert list(innovation.events.values_list("action", flat=True)) == ["publish"]


def test_describe_names_actions_and_states_for_the_history(make_innovation, people):
    innovation = make_innovation(S.DRAFT)
    MACHINE.apply(innovation, "submit", actor=people["creator"])
    InnovationEvent.objects.create(innovation=innovation, action="create", to_state=S.DRAFT)
    described = MACHINE.describe(innovation.events.all(), {"create": "Dibuat"})
    assert [(e.action_label, e.from_label, e.to_label) for e in described] == [
        ("Ajukan", "Draf", "Diajukan"),
        ("Dibuat", "", "Draf"),
    ]


def test_actions_are_unique_and_unknown_actions_are_refused():
    with pytest.raises(ValueError, match="unique"):
        StateMachine("status", InnovationEvent, "innovation", [MACHINE.get("submit"), MACHINE.get("submit")])
    with pytest.raises(TransitionNotAllowed):
        MACHINE.get("terbang")

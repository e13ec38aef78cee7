"""The three state machines as tables: every state × every action × every role."""

import pytest
from django.core.exceptions import PermissionDenied

from lumbung.core.roles import REGION_ROLES, Role
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.events.models import Event, EvidenceProposal, Registration
from lumbung.events.workflows import EVENT, PROPOSAL, REGISTRATION
from lumbung.innovations.tests.factories import InnovationFactory
from tests.factories import user_with_role

from .factories import EventFactory, RegistrationFactory

E, R, P = Event.Status, Registration.Status, EvidenceProposal.Status

# (action, from states, to state) as the issue describes the event's life.
EVENT_TABLE = {
    "open": ({E.DRAFT}, E.OPEN),
    "start": ({E.OPEN}, E.RUNNING),
    "finish": ({E.OPEN, E.RUNNING}, E.FINISHED),
    "archive": ({E.FINISHED}, E.ARCHIVED),
    "cancel": ({E.DRAFT, E.OPEN, E.RUNNING}, E.CANCELLED),
}
# Roles that run events: the region's innovation admin, and national admins acting as one.
RUNNERS = {"admin", "national_admin"}


def actors(world) -> dict:
    people = {str(role): world.user(role) for role in REGION_ROLES}
    people["national_admin"] = world.national_admin
    people["other_admin"] = world.other_admin
    return people


@pytest.mark.parametrize("state", E.values)
def test_event_machine_table(world, state):
    event = EventFactory(region=world.region, organiser=world.unit, status=state)
    for action, (sources, _target) in EVENT_TABLE.items():
        for name, user in actors(world).items():
            expected = state in sources and name in RUNNERS
            assert EVENT.may(user, event, action) is expected, (state, action, name)


@pytest.mark.parametrize("action", EVENT_TABLE)
@pytest.mark.parametrize("state", E.values)
def test_event_apply_moves_or_refuses_and_writes_history(world, state, action):
    sources, target = EVENT_TABLE[action]
    event = EventFactory(region=world.region, organiser=world.unit, status=state)
    admin = world.user(Role.ADMIN)
    if state not in sources:
        with pytest.raises(TransitionNotAllowed):
            EVENT.apply(event, action, actor=admin, note="alasan")
        assert event.history.count() == 0
        return
    with pytest.raises(PermissionDenied):
        EVENT.apply(event, action, actor=world.user(Role.VERIFIER), note="alasan")
    row = EVENT.apply(event, action, actor=admin, note="alasan")
    event.refresh_from_db()
    assert event.status == target
    assert (row.actor, row.from_state, row.to_state, row.note) == (admin, state, target, "alasan")


def test_cancelling_an_event_needs_a_reason(world):
    event = EventFactory(region=world.region, organiser=world.unit)
    with pytest.raises(Exception, match="Catatan wajib"):
        EVENT.apply(event, "cancel", actor=world.user(Role.ADMIN), note=" ")
    assert Event.objects.get(pk=event.pk).status == E.OPEN


# Registrations: the permission also depends on the event's state and on whose registration it is.
REGISTRATION_TABLE = {
    "check_in": ({R.REGISTERED}, R.ATTENDED),
    "undo_check_in": ({R.ATTENDED}, R.REGISTERED),
    "cancel": ({R.REGISTERED}, R.CANCELLED),
    "restore": ({R.CANCELLED}, R.REGISTERED),
}


def registration_expected(action, event_state, who) -> bool:
    """The rule in words: the committee records attendance while the event is open, running or
    just finished, and manages sign-ups while it is editable; a participant, or the unit operator
    who registered them, may cancel or come back only while registration is open."""
    committee = who in RUNNERS
    if action in ("check_in", "undo_check_in"):
        return committee and event_state in {E.OPEN, E.RUNNING, E.FINISHED}
    speaks_for_them = who in ("owner", "registrar")
    return (committee and event_state in {E.DRAFT, E.OPEN, E.RUNNING}) or (speaks_for_them and event_state == E.OPEN)


@pytest.mark.parametrize("event_state", E.values)
def test_registration_machine_table(world, event_state):
    event = EventFactory(region=world.region, organiser=world.unit, status=event_state)
    people = actors(world) | {
        "owner": user_with_role(Role.CITIZEN, world.region),
        # Another operator of the same unit registered the participant (world's operator did not).
        "registrar": user_with_role(Role.OPERATOR, world.region, world.unit),
    }
    for state in R.values:
        registration = RegistrationFactory(
            event=event, user=people["owner"], status=state, registered_by=people["registrar"]
        )
        for action, (sources, _target) in REGISTRATION_TABLE.items():
            for who, user in people.items():
                expected = state in sources and registration_expected(action, event_state, who)
                assert REGISTRATION.may(user, registration, action) is expected, (event_state, state, action, who)
        registration.delete()


PROPOSAL_TABLE = {
    "confirm": ({P.PROPOSED}, P.CONFIRMED),
    "dismiss": ({P.PROPOSED}, P.DISMISSED),
    "reconsider": ({P.DISMISSED}, P.PROPOSED),
    "withdraw": ({P.CONFIRMED}, P.DISMISSED),
    "attach": ({P.CONFIRMED}, P.ATTACHED),
}


@pytest.mark.parametrize("state", P.values)
def test_proposal_machine_table(world, state):
    event = EventFactory(region=world.region, organiser=world.unit, status=E.FINISHED)
    proposal = EvidenceProposal.objects.create(
        event=event,
        innovation=InnovationFactory(region=world.region, unit=world.unit),
        indicator_code="20",
        status=state,
    )
    for action, (sources, _target) in PROPOSAL_TABLE.items():
        for who, user in actors(world).items():
            # "attach" belongs to the attach job alone: no person may take it.
            expected = state in sources and who in RUNNERS and action != "attach"
            assert PROPOSAL.may(user, proposal, action) is expected, (state, action, who)


def test_only_the_system_attaches_a_confirmed_proposal(world):
    event = EventFactory(region=world.region, organiser=world.unit, status=E.FINISHED)
    proposal = EvidenceProposal.objects.create(
        event=event, innovation=InnovationFactory(region=world.region, unit=world.unit), indicator_code="20",
        status=P.CONFIRMED,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        PROPOSAL.apply(proposal, "attach", actor=world.user(Role.ADMIN))
    row = PROPOSAL.apply(proposal, "attach", actor=world.user(Role.ADMIN), system=True)
    assert row.to_state == P.ATTACHED

"""Study visits, their follow-ups and replications as state machine tables: state × action × role."""

import pytest
from django.core.exceptions import ValidationError

from lumbung.actions.models import Action
from lumbung.actions.workflows import ACTION
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.replication import services
from lumbung.replication.models import Replication, StudyVisit
from lumbung.replication.workflows import REPLICATION, VISIT
from tests.factories import user_with_role

from .factories import FollowUpFactory, ReplicationFactory, StudyVisitFactory

V, F, R = StudyVisit.Status, Action.Status, Replication.Status
ADMINS = {"admin", "national_admin"}


def people(world) -> dict:
    found = {str(role): world.user(role) for role in REGION_ROLES}
    found["national_admin"] = world.national_admin
    found["other_admin"] = world.other_admin
    return found


VISIT_TABLE = {
    "complete": {V.PLANNED},
    "close": {V.DONE},
    "reopen": {V.CLOSED},
    "cancel": {V.PLANNED},
}


@pytest.mark.parametrize("state", V.values)
def test_visit_machine_table(world, state):
    visit = StudyVisitFactory(region=world.region, destination=world.other_region, status=state)
    for action, sources in VISIT_TABLE.items():
        for who, user in people(world).items():
            expected = state in sources and who in ADMINS
            assert VISIT.may(user, visit, action) is expected, (state, action, who)


FOLLOW_UP_TABLE = {
    "start": {F.OPEN},
    "finish": {F.OPEN, F.IN_PROGRESS},
    "cancel": {F.OPEN, F.IN_PROGRESS},
    "reopen": {F.DONE, F.CANCELLED},
}


@pytest.mark.parametrize("state", F.values)
def test_follow_up_machine_table(world, state):
    """The admin, the operators of the owning unit, and the responsible official may move it."""
    visit = StudyVisitFactory(region=world.region, destination=world.other_region)
    follow_up = FollowUpFactory(visit=visit, unit=world.unit, owner_official=world.sibling_official, status=state)
    everyone = people(world) | {
        "owner_official": user_with_role(Role.INNOVATOR, world.region, official=world.sibling_official),
        "sibling_operator": user_with_role(Role.OPERATOR, world.region, world.sibling_unit),
    }
    allowed = ADMINS | {"operator", "owner_official"}
    for action, sources in FOLLOW_UP_TABLE.items():
        for who, user in everyone.items():
            expected = state in sources and who in allowed
            assert ACTION.may(user, follow_up, action) is expected, (state, action, who)


REPLICATION_TABLE = {"activate": {R.PLANNED}, "stop": {R.PLANNED, R.ACTIVE}, "resume": {R.STOPPED}}


@pytest.mark.parametrize("state", R.values)
def test_replication_machine_table(world, state):
    """The admin and the operators of the innovation's unit keep a replication up to date."""
    innovation = InnovationFactory(region=world.region, unit=world.unit)
    replication = ReplicationFactory(innovation=innovation, partner_region=world.other_region, status=state)
    for action, sources in REPLICATION_TABLE.items():
        for who, user in people(world).items():
            expected = state in sources and who in ADMINS | {"operator"}
            assert REPLICATION.may(user, replication, action) is expected, (state, action, who)


def test_a_visit_is_completed_only_with_findings_and_closed_only_when_follow_ups_are_settled(world):
    admin = world.user(Role.ADMIN)
    visit = StudyVisitFactory(region=world.region, destination=world.other_region)
    with pytest.raises(ValidationError, match="temuan"):
        services.visit_transition(visit=visit, action="complete", actor=admin)
    visit.findings = "Pelayanan administrasi desa sudah daring penuh."
    visit.save()
    services.visit_transition(visit=visit, action="complete", actor=admin)
    follow_up = FollowUpFactory(visit=visit, unit=world.unit)
    with pytest.raises(ValidationError, match="tindak lanjut"):
        services.visit_transition(visit=visit, action="close", actor=admin)
    services.follow_up_transition(follow_up=follow_up, action="cancel", actor=admin, note="Anggaran tidak tersedia")
    services.visit_transition(visit=visit, action="close", actor=admin)
    assert list(visit.history.values_list("action", flat=True)) == ["complete", "close"]
    assert follow_up.events.get().note == "Anggaran tidak tersedia"

import pytest

from lumbung.core.roles import Role
from tests.factories import user_with_role

from .factories import CaseFactory

# Everyone who might touch a case, by the part they play in it.
ACTORS = (
    "requester", "unit_operator", "sibling_operator", "mentor", "other_mentor", "admin", "verifier", "leader",
    "innovator", "citizen", "other_admin", "national_admin",
)  # fmt: skip


@pytest.fixture
def cast(world):
    """A case asked for by a civil servant on behalf of the operator's unit, and everyone around it."""
    requester = user_with_role(Role.INNOVATOR, world.region)
    people = {
        "requester": requester,
        "unit_operator": world.user(Role.OPERATOR),
        "sibling_operator": user_with_role(Role.OPERATOR, world.region, world.sibling_unit),
        "mentor": world.user(Role.MENTOR),
        "other_mentor": user_with_role(Role.MENTOR, world.region),
        "admin": world.user(Role.ADMIN),
        "verifier": world.user(Role.VERIFIER),
        "leader": world.user(Role.LEADER),
        "innovator": world.user(Role.INNOVATOR),
        "citizen": world.user(Role.CITIZEN),
        "other_admin": world.other_admin,
        "national_admin": world.national_admin,
    }
    return people


@pytest.fixture
def make_case(world, cast):
    def make(status="new", **fields):
        fields.setdefault("mentor", None if status == "new" else cast["mentor"])
        return CaseFactory(region=world.region, requester=cast["requester"], unit=world.unit, status=status, **fields)

    return make

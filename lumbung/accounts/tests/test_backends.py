"""The user of a session is read with their roles in one query (accounts.backends)."""

import pytest

from lumbung.accounts import regions
from lumbung.accounts.backends import RolesModelBackend
from lumbung.accounts.models import User
from lumbung.core.roles import Role
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _roles(user) -> list:
    return sorted((a.role, a.region_id, a.unit_id) for a in user.active_roles)


def test_a_user_with_roles_is_read_with_them_in_one_query(world, django_assert_num_queries):
    operator = user_with_role(Role.OPERATOR, world.region, world.unit)
    operator.role_assignments.create(role=Role.VERIFIER, region=world.region)
    with django_assert_num_queries(1):
        found = RolesModelBackend().get_user(operator.pk)
        roles = _roles(found)
        assert found.has_role(Role.VERIFIER, world.region) and found.regions() == [world.region]
        assert {a.user for a in found.active_roles} == {found}
    assert roles == _roles(User.objects.get(pk=operator.pk))


def test_a_user_without_roles_costs_two_queries_as_before(db, django_assert_num_queries):
    citizen = UserFactory()
    with django_assert_num_queries(2):  # no role found, then the user; their roles are not read again
        found = RolesModelBackend().get_user(citizen.pk)
        assert found == citizen and found.active_roles == [] and found.regions() == []


def test_roles_resting_in_a_deactivated_region_are_left_out_as_before(world):
    admin = user_with_role(Role.ADMIN, world.region)
    regions.region_deactivate(region=world.region, actor=world.national_admin, reason="Uji")
    found = RolesModelBackend().get_user(admin.pk)
    assert found.active_roles == [] == User.objects.get(pk=admin.pk).active_roles


def test_an_inactive_or_missing_user_is_nobody(world):
    admin = user_with_role(Role.ADMIN, world.region)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    assert RolesModelBackend().get_user(admin.pk) is None
    assert RolesModelBackend().get_user(10**9) is None

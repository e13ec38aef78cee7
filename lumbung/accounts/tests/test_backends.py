"""The user of a session is read with their roles in one query, and kept between requests until
they change (accounts.backends)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lumbung.accounts import regions
from lumbung.accounts.backends import RolesModelBackend
from lumbung.accounts.models import User
from lumbung.accounts.services import role_grant, role_revoke
from lumbung.accounts.versions import account_changed
from lumbung.core.localcache import clear_local_stores
from lumbung.core.roles import Role
from lumbung.organisation.services import unit_update
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


# The signed-in user kept between requests (SignedInMiddleware) ----------------------------------


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reader(client, url=None):
    """The user a request of `client` was served as (with the queries it made)."""
    with CaptureQueriesContext(connection) as queries:
        request = client.get(url or reverse("innovations:list")).wsgi_request
        user = request.user
        user.is_authenticated  # noqa: B018 - evaluated inside the capture
    return user, [q["sql"] for q in queries.captured_queries]


def _reads_the_user(sqls) -> bool:
    return any("accounts_roleassignment" in sql or 'FROM "accounts_user"' in sql for sql in sqls)


def test_signing_in_keeps_the_user_for_the_requests_that_follow(world):
    admin = user_with_role(Role.ADMIN, world.region)
    client = _signed_in(admin)
    user, sqls = _reader(client)
    assert not _reads_the_user(sqls) and user == admin
    assert _roles(user) == [(Role.ADMIN, world.region.pk, None)]


def test_the_user_and_roles_are_read_once_then_kept_until_they_change(world):
    admin = user_with_role(Role.ADMIN, world.region)
    client = _signed_in(admin)
    clear_local_stores()  # as in a web process that did not serve the sign-in
    _user, first = _reader(client)
    # The first read: the versions of the regions where they hold roles are read with the others
    # (before the user), even with no region chosen yet, so the copy is good from the next request.
    assert _reads_the_user(first)
    user, second = _reader(client)
    assert not _reads_the_user(second)
    assert user == admin and _roles(user) == [(Role.ADMIN, world.region.pk, None)]
    # One query reads every version the request needs, the sign-in check's and the page's.
    assert sum("core_dataversion" in sql for sql in second) == 1


def test_a_role_granted_in_another_region_shows_on_the_next_request(world):
    admin = user_with_role(Role.ADMIN, world.region)
    client = _signed_in(admin)
    _reader(client), _reader(client)
    role_grant(user=admin, role=Role.VERIFIER, region=world.other_region, granted_by=world.national_admin)
    user, sqls = _reader(client)
    assert _reads_the_user(sqls)
    assert (Role.VERIFIER, world.other_region.pk, None) in _roles(user)
    # The other region was first met in that read: kept as unknown, renewed once, then kept.
    _reader(client)
    assert not _reads_the_user(_reader(client)[1])


def test_a_role_withdrawn_is_gone_on_the_next_request(world):
    admin = user_with_role(Role.ADMIN, world.region)
    client = _signed_in(admin)
    _reader(client), _reader(client)
    role_revoke(assignment=admin.role_assignments.get(), revoked_by=world.national_admin, reason="Pindah tugas")
    user, _sqls = _reader(client, reverse("core:home"))
    assert user.active_roles == []


def test_a_new_password_signs_out_every_other_session(world):
    admin = user_with_role(Role.ADMIN, world.region)
    client = _signed_in(admin)
    _reader(client), _reader(client)
    admin.set_password("sandi-baru-yang-panjang")
    admin.save(update_fields=["password"])
    user, _sqls = _reader(client, reverse("core:home"))
    assert not user.is_authenticated


def test_a_deactivated_or_deleted_user_is_signed_out_on_the_next_request(world):
    first, second = user_with_role(Role.ADMIN, world.region), user_with_role(Role.VERIFIER, world.region)
    clients = [_signed_in(first), _signed_in(second)]
    for client in clients:
        _reader(client), _reader(client)
    first.is_active = False
    first.save()
    second.delete()
    assert [_reader(client, reverse("core:home"))[0].is_authenticated for client in clients] == [False, False]


def test_roles_rest_with_their_region_and_come_back_with_it(world):
    admin = user_with_role(Role.ADMIN, world.region)
    client = _signed_in(admin)
    _reader(client), _reader(client)
    regions.region_deactivate(region=world.region, actor=world.national_admin, reason="Uji")
    assert _reader(client, reverse("core:home"))[0].active_roles == []
    _reader(client, reverse("core:home"))
    regions.region_reactivate(region=world.region, actor=world.national_admin, reason="Uji")
    assert _roles(_reader(client)[0]) == [(Role.ADMIN, world.region.pk, None)]


def test_a_renamed_unit_shows_in_the_roles_on_the_next_request(world):
    operator = user_with_role(Role.OPERATOR, world.region, world.unit)
    client = _signed_in(operator)
    _reader(client), _reader(client)
    unit_update(unit=world.unit, actor=world.national_admin, name="Dinas Baru", kind=world.unit.kind)
    user, _sqls = _reader(client)
    assert user.active_roles[0].unit.name == "Dinas Baru"


def test_a_change_written_without_signals_must_say_so(world):
    """Writes that bypass signals (QuerySet.update) announce the change themselves, as every cached
    page requires (accounts.versions.account_changed): this is what happens otherwise, and after."""
    admin = user_with_role(Role.ADMIN, world.region)
    client = _signed_in(admin)
    _reader(client), _reader(client)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    assert _reader(client, reverse("core:home"))[0].is_authenticated  # the kept copy
    account_changed(admin.pk)
    assert not _reader(client, reverse("core:home"))[0].is_authenticated


def test_the_session_hash_is_made_once_per_password_as_django_makes_it(world):
    from django.contrib.auth.base_user import AbstractBaseUser

    admin = user_with_role(Role.ADMIN, world.region)
    first = admin.get_session_auth_hash()
    assert first == AbstractBaseUser.get_session_auth_hash(admin) == admin.get_session_auth_hash()
    admin.set_password("sandi-baru-yang-panjang")
    assert admin.get_session_auth_hash() != first
    assert admin.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(admin)

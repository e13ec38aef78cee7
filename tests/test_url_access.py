"""The deny-by-default sweep: every URL of the project, with every role, on someone else's
objects. It fails when a view declares no access rule, when a URL that takes arguments has no
sweep case, and when a role reaches a page or an object it must not."""

from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lumbung.core.access import rule_of
from lumbung.core.roles import REGION_ROLES
from lumbung.core.tests.headers import check_headers, check_no_inline_code
from tests.world import build_world

# 401: the API's answer to a request without a token (it has no login page to redirect to).
DENIED = (401, 403, 404)


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the Django admin checks staff status itself (national admins only)
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else None, pattern


PATTERNS = list(_patterns())
NAMED = {name: pattern for name, pattern in PATTERNS if name}


def test_every_url_is_named():
    unnamed = [str(pattern.pattern) for name, pattern in PATTERNS if name is None]
    assert unnamed == []


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_view_declares_an_access_rule(name):
    assert rule_of(NAMED[name].callback) is not None, f"{name} has no @access declaration"


def _takes_arguments(pattern) -> bool:
    return bool(pattern.pattern.converters) or "<" in str(pattern.pattern)


def _sweep_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("lumbung."):
            continue
        try:
            yield config.name, import_module(f"{config.name}.tests.sweep")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.sweep":
                raise
            continue


def _collect_cases(world) -> dict:
    cases = {}
    for _app, module in _sweep_modules():
        cases.update(module.cases(world))
    return cases


def _collect_foreign_cases_in_region_c(world, cases) -> dict:
    """Each app's cases again with region C as the other region. An app whose cases cannot be built
    twice (national data such as a framework year) is left out only if none of its cases is foreign."""
    collected = {}
    for _app, module in _sweep_modules():
        try:
            with transaction.atomic():
                collected.update(module.cases(world.seen_from_region_c()))
        except IntegrityError:
            continue
    missing = {name for name, case in cases.items() if case.is_foreign} - set(collected)
    assert not missing, f"no region-C case for the foreign URLs {sorted(missing)}"
    return collected


@pytest.fixture(scope="module")
def sweep(django_db_setup, django_db_blocker):
    """One world for the whole sweep, rolled back at the end; each test also rolls back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(third_region=True)
            cases = _collect_cases(world)
            # The same cases again, their foreign objects now in region C (another province).
            yield world, cases, _collect_foreign_cases_in_region_c(world, cases)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _clients(world):
    clients = {None: Client()}
    for role in REGION_ROLES:
        client = Client()
        client.force_login(world.user(role))
        clients[str(role)] = client
    admin = Client()
    admin.force_login(world.national_admin)
    clients["national_admin"] = admin
    if world.province_admin is not None:
        province = Client()
        province.force_login(world.province_admin)
        clients["province_admin"] = province
    return clients


def _request(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


@pytest.mark.parametrize("name", sorted(NAMED))
def test_url_access_matrix(name, sweep, db):
    world, cases, _cases_c = sweep
    pattern = NAMED[name]
    rule = rule_of(pattern.callback)
    case = cases.get(name)
    if _takes_arguments(pattern):
        assert case is not None, f"{name} takes arguments but no app lists a sweep case for it"
    url = reverse(name, kwargs=case.kwargs if case else None)
    for role, client in _clients(world).items():
        response = _request(client, url)
        where = f"{name} ({url}) as {role or 'visitor'}"
        assert response.status_code < 500, where
        # Every answer of every URL, detail pages and files included, carries the security headers.
        check_headers(response, url, where)
        check_no_inline_code(response, url)
        if role == "national_admin":
            continue
        if rule.public:
            if case and case.is_foreign:
                assert response.status_code in DENIED, f"{where} shows a non-public object"
            continue
        if role is None:
            assert response.status_code == 302, where
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)), where
            continue
        if rule.roles and role not in rule.roles:
            assert response.status_code == 403, f"{where} is open to a role it does not declare"
            continue
        if case and case.is_foreign:
            assert response.status_code in DENIED, f"{where} reaches someone else's object"


@pytest.mark.parametrize("name", sorted(NAMED))
def test_no_role_of_region_a_reaches_an_object_of_a_region_in_another_province(name, sweep, db):
    """The sweep's foreign cases again, their objects in region C (Cilacap, Jawa Tengah)."""
    world, _cases, cases_c = sweep
    case = cases_c.get(name)
    if case is None or not case.is_foreign:
        pytest.skip("no foreign object behind this URL")
    assert world.region_c.province.code == "33" and world.region.code.startswith("18")
    rule = rule_of(NAMED[name].callback)
    url = reverse(name, kwargs=case.kwargs)
    for role, client in _clients(world).items():
        if role == "national_admin":
            continue
        response = _request(client, url)
        where = f"{name} ({url}) as {role or 'visitor'} on region C"
        assert response.status_code < 500, where
        if role is None and not rule.public:
            assert response.status_code == 302, where
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)), where
        else:
            assert response.status_code in DENIED, f"{where} reaches someone else's object"

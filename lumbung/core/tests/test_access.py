"""Deny-by-default access (AccessMiddleware, access decorators, get_for_user) and the language
middleware that ignores the browser's Accept-Language."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from lumbung.core.access import access, get_for_user, require_perm, rule_of
from lumbung.core.roles import Role
from lumbung.organisation.models import Unit

pytestmark = pytest.mark.urls("lumbung.core.tests.urls_access")


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [(None, "/uji/tanpa-aturan/", 403), (Role.ADMIN, "/uji/tanpa-aturan/", 403),
     (None, "/uji/publik/", 200), (Role.CITIZEN, "/uji/publik/", 200),
     (None, "/uji/masuk/", 302), (Role.CITIZEN, "/uji/masuk/", 200),
     (None, "/uji/pemeriksa/", 302), (Role.CITIZEN, "/uji/pemeriksa/", 403), (Role.OPERATOR, "/uji/pemeriksa/", 403),
     (Role.VERIFIER, "/uji/pemeriksa/", 200), (Role.ADMIN, "/uji/pemeriksa/", 200), ("national", "/uji/pemeriksa/", 200)],
)  # fmt: skip
def test_each_declaration_is_enforced_before_the_view_runs(client, world, role, url, status):
    if role == "national":
        client.force_login(world.national_admin)
    elif role:
        client.force_login(world.user(role))
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_a_role_counts_only_in_the_region_the_user_works_in(client, world):
    from lumbung.accounts.middleware import SESSION_KEY
    from tests.factories import user_with_role

    citizen_here = user_with_role(Role.CITIZEN, world.region)
    citizen_here.role_assignments.create(role=Role.VERIFIER, region=world.other_region)
    client.force_login(citizen_here)
    for region, status in ((world.region, 403), (world.other_region, 200)):
        session = client.session
        session[SESSION_KEY] = region.pk
        session.save()
        assert client.get("/uji/pemeriksa/").status_code == status


def test_roles_must_be_named():
    with pytest.raises(ValueError, match="at least one role"):
        access.roles()


def test_the_rule_of_a_class_based_view_is_found():
    from lumbung.accounts.views import LoginView

    assert rule_of(LoginView.as_view()).public


def test_get_for_user_answers_404_for_missing_and_for_not_yours(world):
    operator = world.user(Role.OPERATOR)
    units = Unit.objects.all()
    assert get_for_user(operator, units, "organisation.view_unit", pk=world.unit.pk) == world.unit
    for pk in (world.sibling_unit.pk, world.other_unit.pk, 999999):
        with pytest.raises(Http404):
            get_for_user(operator, units, "organisation.view_unit", pk=pk)
    with pytest.raises(Http404):
        require_perm(operator, "organisation.change_unit", world.unit)


def test_the_interface_is_indonesian_whatever_the_browser_says(client, db):
    response = client.get("/uji/publik/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"


def test_the_language_of_one_request_does_not_leak_into_the_next_piece_of_work(client, db):
    client.cookies["lumbung_language"] = "en"
    assert client.get("/uji/publik/")["Content-Language"] == "en"
    assert translation.get_language() == "id"


def test_the_chosen_language_is_kept_in_a_cookie_and_on_the_account(client, world):
    user = world.user(Role.LEADER)
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/uji/publik/"})
    assert response.cookies["lumbung_language"].value == "en"
    assert client.get("/uji/publik/")["Content-Language"] == "en"
    user.refresh_from_db()
    assert user.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/uji/publik/"})
    user.refresh_from_db()
    assert user.language == "en"

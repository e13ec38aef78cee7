"""The security baseline: deployment checks, login throttling, CSRF, password rules, hashing."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lumbung.accounts.forms import SignupForm
from lumbung.core.roles import Role
from lumbung.organisation.models import Unit

ROOT = Path(settings.BASE_DIR)


def _environment(**values) -> dict:
    # conftest.py allows sync ORM calls under Playwright's loop; a real deployment never does.
    env = {
        key: value for key, value in os.environ.items() if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SECRET_KEY"}
    }
    return {**env, **values}


def test_the_production_settings_pass_the_deployment_check_without_warnings(tmp_path):
    env = _environment(
        **{
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "inovasi.lampungbaratkab.go.id",
            "LUMBUNG_VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=config.settings.production",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _environment(LUMBUNG_VAR_DIR=str(tmp_path))
    result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
        [sys.executable, "manage.py", "check", "--settings=config.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_five_failed_logins_lock_the_account_from_that_address(client, world):
    admin = world.user(Role.ADMIN)
    for _attempt in range(4):
        assert "Surel atau kata sandi salah" in _login(client, admin.email, "bukan-sandinya").content.decode()
    locked = _login(client, admin.email, "bukan-sandinya")
    assert locked.status_code == 429
    correct = _login(client, admin.email, "kata-sandi-uji-123")
    assert correct.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another person signing in from the same office network is not locked out.
    assert _login(Client(), world.user(Role.VERIFIER).email, "kata-sandi-uji-123").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, world):
    admin = world.user(Role.ADMIN)
    for _attempt in range(4):
        _login(client, admin.email, "bukan-sandinya")
    assert _login(client, admin.email, "kata-sandi-uji-123").status_code == 302
    client.logout()
    for _attempt in range(4):
        _login(client, admin.email, "bukan-sandinya")
    assert _login(client, admin.email, "kata-sandi-uji-123").status_code == 302


def test_a_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    assert _login(client, world.user(Role.ADMIN).email, "kata-sandi-uji-123").status_code == 403
    client.force_login(world.user(Role.ADMIN))
    data = {"name": "Dinas Tanpa Token", "kind": Unit.Kind.OFFICE}
    assert client.post(reverse("organisation:unit-create"), data).status_code == 403
    assert not Unit.objects.filter(name="Dinas Tanpa Token").exists()
    token = client.get(reverse("organisation:unit-create")).context["csrf_token"]
    assert client.post(reverse("organisation:unit-create"), {**data, "csrfmiddlewaretoken": token}).status_code == 302


@pytest.mark.parametrize(
    ("password", "reason"),
    [("pendek1", "terlalu pendek"), ("password123", "terlalu umum"), ("98765432101234", "seluruhnya terdiri dari angka"),
     ("dewianggraini", "terlalu mirip")],
)  # fmt: skip
def test_weak_passwords_are_refused_with_the_reason(world, password, reason):
    data = {
        "full_name": "Dewi Anggraini", "email": "dewi.anggraini@contoh.id", "region": world.region.pk,
        "password1": password, "password2": password, "consent": "on",
    }  # fmt: skip
    form = SignupForm(data)
    assert not form.is_valid()
    assert reason in " ".join(form.errors["password1"])


def test_passwords_are_hashed_with_argon2_outside_tests():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert base.AXES_FAILURE_LIMIT == 5
    assert base.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize("path", ["/sistem/", "/sistem/accounts/user/", "/sistem/organisation/official/"])
def test_the_system_admin_is_for_national_admins_only(client, world, path):
    client.force_login(world.user(Role.ADMIN))
    assert client.get(path).status_code == 302  # to the admin login: region admins are not staff
    national = world.national_admin
    national.is_staff = national.is_superuser = True  # as createsuperuser and the demo make them
    national.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(national)
    assert client.get(path).status_code == 200

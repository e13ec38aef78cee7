"""Found when tried as an attacker (issue 12): lock-out by letter case, reset flooding, sign-up enumeration."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from lumbung.accounts.forms import SignupForm, axes_username
from lumbung.accounts.models import User
from lumbung.core.roles import Role

PASSWORD = "kata-sandi-uji-123"  # noqa: S105 - the factories' test password


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def _variants(email: str) -> list[str]:
    return [email.capitalize(), email.upper(), email.swapcase(), f"  {email.title()} ", "".join(
        ch.upper() if i % 2 else ch for i, ch in enumerate(email))]  # fmt: skip


def test_letter_case_shares_one_lock_out(client, world):
    admin = world.user(Role.ADMIN)
    email = admin.email.lower()
    for _attempt in range(4):
        assert _login(client, email, "bukan-sandinya").status_code == 200
    # The fifth failure, typed differently, still counts against the same account and locks it.
    assert _login(client, email.upper(), "bukan-sandinya").status_code == 429
    for variant in _variants(email):
        assert _login(client, variant, "bukan-sandinya").status_code == 429, variant
        assert _login(client, variant, PASSWORD).status_code == 429, variant
    assert "_auth_user_id" not in client.session


def test_a_different_spelling_of_a_locked_address_does_not_get_a_fresh_budget(client, world):
    email = world.user(Role.VERIFIER).email
    attempts = 0
    for variant in [email, *_variants(email)]:
        if _login(client, variant, "bukan-sandinya").status_code == 429:
            break
        attempts += 1
    assert attempts == 4  # the fifth failure locks, whatever the spelling


def test_the_right_password_in_any_letter_case_signs_in_when_not_locked(client, world):
    admin = world.user(Role.ADMIN)
    assert _login(client, f" {admin.email.upper()} ", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_the_axes_username_is_normalised_from_credentials_or_post(rf):
    request = rf.post("/", {"username": "  MeNtOr@Lambar.TEST "})
    assert axes_username(request) == "mentor@lambar.test"
    assert axes_username(request, {"username": "MENTOR@lambar.test"}) == "mentor@lambar.test"
    assert axes_username(rf.post("/", {})) == ""


def _reset(client, email):
    return client.post(reverse("accounts:password-reset"), {"email": email})


def test_password_reset_requests_are_limited_per_address_typed(world, settings):
    admin = world.user(Role.ADMIN)
    sent = []
    for attempt in range(10):
        response = _reset(Client(REMOTE_ADDR=f"10.0.0.{attempt}"), admin.email)
        sent.append(response.status_code)
    assert sent[: settings.PASSWORD_RESET_LIMIT_PER_EMAIL] == [302] * settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    assert set(sent[settings.PASSWORD_RESET_LIMIT_PER_EMAIL :]) == {429}
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    refused = _reset(Client(REMOTE_ADDR="10.0.1.1"), admin.email.upper())
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan pemulihan" in refused.content.decode()


def test_password_reset_requests_are_limited_per_client_address(world, settings):
    client = Client(REMOTE_ADDR="10.9.9.9")
    statuses = [_reset(client, f"orang{n}@contoh.id").status_code for n in range(12)]
    limit = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    assert statuses[:limit] == [302] * limit
    assert set(statuses[limit:]) == {429}
    # Another address is not affected.
    assert _reset(Client(REMOTE_ADDR="10.9.9.10"), "orang0@contoh.id").status_code == 302


def test_unknown_and_known_addresses_count_alike(world, settings):
    """The limit must not become a way to tell registered addresses apart."""
    known = world.user(Role.ADMIN).email
    for email in (known, "tidak.ada@contoh.id"):
        statuses = [_reset(Client(REMOTE_ADDR="10.1.1.1" if email == known else "10.2.2.2"), email).status_code
                    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL + 1)]  # fmt: skip
        assert statuses[-1] == 429


def _signup_data(world, email):
    return {
        "full_name": "Dewi Anggraini", "email": email, "phone": "0812-3456-7890", "region": world.region.pk,
        "password1": "sandi-panjang-sekali-42", "password2": "sandi-panjang-sekali-42", "consent": "on",
    }  # fmt: skip


def test_sign_up_answers_the_same_for_a_registered_address(world, django_capture_on_commit_callbacks):
    existing = world.user(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        taken = Client().post(reverse("accounts:signup"), _signup_data(world, existing.email.upper()))
        new = Client().post(reverse("accounts:signup"), _signup_data(world, "warga.baru@contoh.id"))
    assert taken.status_code == new.status_code == 200
    assert "accounts/signup_sent.html" in {t.name for t in taken.templates}
    assert "accounts/signup_sent.html" in {t.name for t in new.templates}
    assert "sudah terdaftar" not in taken.content.decode()

    # Same page apart from the address typed (and the per-session CSRF token).
    def page(response, email):
        return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode().replace(email, "X"))

    assert page(taken, existing.email.lower()) == page(new, "warga.baru@contoh.id")
    # The owner of the existing account is told; no second account, no password change.
    assert User.objects.filter(email__iexact=existing.email).count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    reminder = [m for m in mail.outbox if m.to == [existing.email]]
    assert len(reminder) == 1
    assert "sudah memiliki akun" in reminder[0].body
    assert reverse("accounts:password-reset") in reminder[0].body
    assert any(m.to == ["warga.baru@contoh.id"] for m in mail.outbox)


def test_the_sign_up_form_itself_says_nothing_about_registration(world):
    form = SignupForm(_signup_data(world, world.user(Role.ADMIN).email))
    assert form.is_valid(), form.errors

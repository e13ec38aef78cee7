"""API tokens: stored hashed, scoped to a region and to read or read/write, expiring, revocable,
marked when used, throttled; and the pages that make and revoke them."""

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lumbung.api.models import ApiToken
from lumbung.api.services import token_create
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from tests.factories import RegionFactory, UnitFactory, user_with_role

from .conftest import ApiClient, make_token


def innovations_url(region):
    return reverse("api:innovation-list", args=[region.code])


class TestIssuing:
    def test_only_a_hash_is_stored_and_the_secret_works_once_shown(self, world, admin):
        token, raw = make_token(admin, world.region)
        assert raw.startswith("lmb_") and len(raw) > 40
        stored = ApiToken.objects.get(pk=token.pk)
        assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
        assert raw.startswith(stored.prefix)
        assert ApiClient(raw).get(reverse("api:me")).json()["token"]["id"] == token.pk

    def test_a_token_needs_a_role_in_its_region(self, world):
        citizen_elsewhere = world.user(Role.VERIFIER)
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            make_token(citizen_elsewhere, world.other_region)

    @pytest.mark.parametrize("days", [0, -1, 400])
    def test_expiry_must_be_within_a_year_and_in_the_future(self, world, admin, days):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            token_create(
                user=admin, region=world.region, name="x", scope="read",
                expires_at=timezone.now() + dt.timedelta(days=days), actor=admin,
            )  # fmt: skip
        assert not ApiToken.objects.exists()

    def test_only_an_admin_makes_integration_tokens(self, world):
        from django.core.exceptions import PermissionDenied

        operator = world.user(Role.OPERATOR)
        with pytest.raises(PermissionDenied):
            make_token(operator, world.region, kind=ApiToken.Kind.INTEGRATION)


class TestRefusals:
    def test_unknown_revoked_and_expired_tokens_are_refused_with_a_reason(self, world, admin):
        token, raw = make_token(admin, world.region)
        url = innovations_url(world.region)
        unknown = ApiClient("lmb_" + "x" * 43).get(url)
        assert unknown.status_code == 401 and unknown.json()["error"]["code"] == "token_unknown"
        assert unknown["WWW-Authenticate"].startswith("Bearer")
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        revoked = ApiClient(raw).get(url)
        assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "token_revoked"
        other, raw2 = make_token(admin, world.region)
        ApiToken.objects.filter(pk=other.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        expired = ApiClient(raw2).get(url)
        assert expired.status_code == 401 and expired.json()["error"]["code"] == "token_expired"

    def test_a_deactivated_account_stops_its_tokens(self, world, admin):
        _token, raw = make_token(admin, world.region)
        admin.is_active = False
        admin.save()
        assert ApiClient(raw).get(innovations_url(world.region)).status_code == 401

    def test_a_garbled_header_is_refused_not_crashed(self, world):
        client = Client()
        for header in ("Bearer", "Bearer a b", "Bearer \xff\xfe", "Token lmb_\x00"):
            response = client.get(innovations_url(world.region), HTTP_AUTHORIZATION=header)
            assert response.status_code == 401, header
            assert set(response.json()["error"]) == {"code", "message", "fields"}

    def test_last_use_is_recorded(self, world, admin):
        token, raw = make_token(admin, world.region)
        assert token.last_used_at is None
        ApiClient(raw).get(innovations_url(world.region))
        token.refresh_from_db()
        assert token.last_used_at is not None and timezone.now() - token.last_used_at < dt.timedelta(seconds=30)


class TestScope:
    def test_a_read_only_token_cannot_write(self, world, admin):
        _token, raw = make_token(admin, world.region, scope=ApiToken.Scope.READ)
        response = ApiClient(raw).post(innovations_url(world.region), {"name": "X"}, content_type="application/json")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "read_only_token"
        assert not Innovation.objects.exists()

    def test_a_token_of_region_a_reads_only_public_data_of_region_b(self, world):
        """Even for someone who is admin in both regions: the token was issued for A."""
        both = user_with_role(Role.ADMIN, world.region)
        from lumbung.accounts.models import RoleAssignment

        RoleAssignment.objects.create(user=both, role=Role.ADMIN, region=world.other_region)
        b_draft = InnovationFactory(region=world.other_region, unit=world.other_unit)
        b_public = InnovationFactory(region=world.other_region, unit=world.other_unit, status="published")
        _token, raw = make_token(both, world.region)
        client = ApiClient(raw)
        b = world.other_region.code
        assert client.get(reverse("api:innovation-detail", args=[b, b_draft.pk])).status_code == 404
        public = client.get(reverse("api:innovation-detail", args=[b, b_public.pk])).json()
        assert public["internal"] is None
        listed = client.get(innovations_url(world.other_region)).json()["results"]
        assert [row["id"] for row in listed] == [b_public.pk]
        assert client.get(reverse("api:unit-list", args=[b])).status_code == 403
        assert client.get(reverse("api:document-list", args=[b])).status_code == 403
        # And nothing can be written there.
        response = client.patch(
            reverse("api:innovation-detail", args=[b, b_draft.pk]), {"name": "Diubah"}, content_type="application/json"
        )
        assert response.status_code == 403
        assert Innovation.objects.get(pk=b_draft.pk).name == b_draft.name
        # Its own region works as admin.
        assert client.get(reverse("api:unit-list", args=[world.region.code])).status_code == 200

    def test_a_national_admin_token_is_an_admin_of_its_region_only(self, world):
        b_draft = InnovationFactory(region=world.other_region, unit=world.other_unit)
        a_draft = InnovationFactory(region=world.region, unit=world.unit)
        _token, raw = make_token(world.national_admin, world.region)
        client = ApiClient(raw)
        assert client.get(reverse("api:innovation-detail", args=[world.region.code, a_draft.pk])).status_code == 200
        b = world.other_region.code
        assert client.get(reverse("api:innovation-detail", args=[b, b_draft.pk])).status_code == 404
        # An id of region B under region A's code is not found either.
        assert client.get(reverse("api:innovation-detail", args=[world.region.code, b_draft.pk])).status_code == 404

    def test_requests_are_throttled_per_token(self, world, admin, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/minute"}}
        _t1, first = make_token(admin, world.region)
        _t2, second = make_token(admin, world.region)
        url = innovations_url(world.region)
        codes = [ApiClient(first).get(url).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        refused = ApiClient(first).get(url)
        assert refused.json()["error"]["code"] == "throttled" and int(refused["Retry-After"]) > 0
        # Another token has its own allowance.
        assert ApiClient(second).get(url).status_code == 200


class TestPages:
    def test_a_user_makes_sees_once_and_revokes_a_personal_token(self, world):
        operator = world.user(Role.OPERATOR)
        client = Client()
        client.force_login(operator)
        response = client.post(reverse("api-tokens:mine"), {"name": "Dasbor unit", "scope": "write", "lifetime": 90})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        token = ApiToken.objects.get()
        raw = response.context["raw"]
        assert raw.encode() in response.content and token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert (token.user, token.region, token.kind, token.scope) == (operator, world.region, "personal", "write")
        assert dt.timedelta(days=89) < token.expires_at - timezone.now() <= dt.timedelta(days=90)
        listing = client.get(reverse("api-tokens:mine"))
        assert b"Dasbor unit" in listing.content and raw.encode() not in listing.content
        client.post(reverse("api-tokens:revoke", args=[token.pk]))
        token.refresh_from_db()
        assert token.revoked_by == operator and token.revoked_at is not None
        assert ApiClient(raw).get(innovations_url(world.region)).status_code == 401
        history = list(token.history.order_by("history_id").values_list("history_change_reason", flat=True))
        assert history == ["create", "revoke"]

    def test_the_admin_page_makes_integration_tokens_and_revokes_any_token_of_the_region(self, world, admin):
        operator = world.user(Role.OPERATOR)
        operator_token, _raw = make_token(operator, world.region)
        client = Client()
        client.force_login(admin)
        response = client.post(
            reverse("api-tokens:region"), {"name": "Portal Satu Data", "scope": "read", "lifetime": 365}
        )
        assert response.status_code == 200
        integration = ApiToken.objects.get(kind=ApiToken.Kind.INTEGRATION)
        assert integration.user == admin and integration.created_by == admin
        page = client.get(reverse("api-tokens:region"))
        assert b"Portal Satu Data" in page.content and operator_token.name.encode() in page.content
        client.post(reverse("api-tokens:revoke", args=[operator_token.pk]))
        operator_token.refresh_from_db()
        assert operator_token.revoked_by == admin

    def test_others_cannot_revoke_or_see_a_token(self, world, admin):
        token, _raw = make_token(admin, world.region)
        verifier = Client()
        verifier.force_login(world.user(Role.VERIFIER))
        assert verifier.post(reverse("api-tokens:revoke", args=[token.pk])).status_code == 404
        assert verifier.get(reverse("api-tokens:region")).status_code == 403
        assert token.name.encode() not in verifier.get(reverse("api-tokens:mine")).content
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_bad_input_re_shows_the_form_in_indonesian(self, world, admin):
        client = Client()
        client.force_login(admin)
        response = client.post(reverse("api-tokens:mine"), {"name": "", "scope": "semua", "lifetime": 9999})
        assert response.status_code == 400
        assert not ApiToken.objects.exists()
        assert "Bidang ini tidak boleh kosong." in response.content.decode()

    def test_someone_without_a_role_cannot_make_one(self, db):
        from tests.factories import UserFactory

        loner = UserFactory()
        RegionFactory()
        UnitFactory()
        client = Client()
        client.force_login(loner)
        response = client.post(reverse("api-tokens:mine"), {"name": "x", "scope": "read", "lifetime": 30})
        assert response.status_code == 400 and not ApiToken.objects.exists()

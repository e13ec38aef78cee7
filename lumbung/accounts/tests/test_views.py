import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lumbung.accounts import services
from lumbung.accounts.models import Invitation, RoleAssignment, User
from lumbung.accounts.nav import GENERIC_PANEL
from lumbung.core.nav import PANELS
from lumbung.core.roles import Role
from tests.factories import OfficialFactory, RegionFactory, UnitFactory, UserFactory, user_with_role


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.user(Role.ADMIN))
    return client


def query_count(client, url) -> int:
    """Queries of a second view of the page: the first after a change to the region's units reads the
    signed-in user and roles again (accounts.backends keeps them per organisation version)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


class TestUserList:
    def test_lists_the_people_of_the_region_with_their_roles(self, admin_client, world):
        response = admin_client.get(reverse("accounts:user-list"))
        listed = set(response.context["page_obj"])
        assert set(world.users.values()) <= listed
        assert world.other_admin not in listed
        assert "Operator perangkat daerah · Diskominfo" in response.content.decode()

    def test_the_role_filter_counts_only_active_roles(self, admin_client, world):
        judge = world.user(Role.JUDGE)
        services.role_revoke(assignment=judge.role_assignments.get(), revoked_by=world.user(Role.ADMIN))
        listed = set(admin_client.get(reverse("accounts:user-list"), {"peran": Role.JUDGE}).context["page_obj"])
        assert judge not in listed

    def test_search_by_name_or_email(self, admin_client, world):
        mentor = world.user(Role.MENTOR)
        listed = list(admin_client.get(reverse("accounts:user-list"), {"q": mentor.email.upper()}).context["page_obj"])
        assert listed == [mentor]

    def test_queries_do_not_grow_with_the_number_of_users(self, admin_client, world):
        url = reverse("accounts:user-list")
        few = query_count(admin_client, url)
        for _ in range(15):
            user = user_with_role(Role.OPERATOR, world.region, UnitFactory(region=world.region))
            RoleAssignment.objects.create(user=user, role=Role.INNOVATOR, region=world.region)
        assert query_count(admin_client, url) == few

    @pytest.mark.parametrize("role", [Role.VERIFIER, Role.OPERATOR, Role.LEADER, Role.CITIZEN])
    def test_only_the_admin_manages_users(self, client, world, role):
        client.force_login(world.user(role))
        assert client.get(reverse("accounts:user-list")).status_code == 403


class TestInvitations:
    def test_an_operator_invitation_needs_a_unit(self, admin_client, world):
        data = {"full_name": "Yanti Utami", "email": "yanti@lambar.test", "roles": [Role.OPERATOR]}
        response = admin_client.post(reverse("accounts:user-invite"), data)
        assert "unit" in response.context["form"].errors
        assert 'value="Yanti Utami"' in response.content.decode()
        assert not Invitation.objects.filter(email="yanti@lambar.test").exists()

    def test_inviting_sends_a_link_and_accepting_creates_the_account_with_the_roles(
        self, admin_client, client, world, django_capture_on_commit_callbacks
    ):
        data = {
            "full_name": "Yanti Utami, S.Kom.",
            "email": "Yanti@Lambar.test",
            "roles": [Role.OPERATOR, Role.INNOVATOR],
            "unit": world.sibling_unit.pk,
            "official": world.sibling_official.pk,
        }
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(reverse("accounts:user-invite"), data)
        link = re.search(r"http\S+", mail.outbox[-1].body).group(0)
        assert "Yanti Utami" in mail.outbox[-1].body and mail.outbox[-1].to == ["yanti@lambar.test"]
        path = link.removeprefix("http://127.0.0.1:8000")
        admin_client.logout()
        weak = client.post(path, {"password1": "12345678", "password2": "12345678"})
        assert "password1" in weak.context["form"].errors
        client.post(path, {"password1": "Way-Tenong-2026!", "password2": "Way-Tenong-2026!"})
        user = User.objects.get(email="yanti@lambar.test")
        assert user.roles_in(world.region) == {Role.OPERATOR, Role.INNOVATOR}
        assert user.official == world.sibling_official
        assert user.operates_unit(world.sibling_unit)
        assert client.get(reverse("core:home")).wsgi_request.user == user
        assert client.get(path).status_code == 404  # used once

    def test_a_signed_in_invitee_accepts_without_a_new_password(self, client, world):
        judge = world.user(Role.JUDGE)
        invitation = services.invitation_create(
            email=judge.email, full_name=judge.full_name, region=world.region, roles=[Role.MENTOR], unit=None,
            official=None, invited_by=world.user(Role.ADMIN),
        )  # fmt: skip
        client.force_login(judge)
        client.post(reverse("accounts:invitation-accept", args=[invitation.token]))
        judge.__dict__.pop("active_roles", None)
        assert judge.roles_in(world.region) == {Role.JUDGE, Role.MENTOR}

    def test_an_expired_invitation_is_refused(self, client, world):
        invitation = Invitation.objects.create(
            email="lama@lambar.test", full_name="Lama", region=world.region, roles=[Role.VERIFIER],
            invited_by=world.user(Role.ADMIN), expires_at=timezone.now() - dt.timedelta(days=1),
        )  # fmt: skip
        response = client.get(reverse("accounts:invitation-accept", args=[invitation.token]))
        assert response.status_code == 404
        assert "tidak berlaku" in response.content.decode()

    def test_a_new_invitation_replaces_the_open_one_and_the_list_names_the_roles(self, admin_client, world):
        for roles in ([Role.VERIFIER], [Role.LEADER]):
            admin_client.post(
                reverse("accounts:user-invite"), {"full_name": "Tri", "email": "tri@lambar.test", "roles": roles}
            )
        open_ones = Invitation.objects.filter(email="tri@lambar.test", revoked_at__isnull=True)
        assert [i.roles for i in open_ones] == [[Role.LEADER]]
        assert "Pimpinan" in admin_client.get(reverse("accounts:user-list")).content.decode()

    def test_revoking_an_invitation(self, admin_client, world):
        admin_client.post(
            reverse("accounts:user-invite"), {"full_name": "Tri", "email": "tri@lambar.test", "roles": [Role.JUDGE]}
        )
        invitation = Invitation.objects.get(email="tri@lambar.test")
        admin_client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))
        invitation.refresh_from_db()
        assert not invitation.is_open


class TestUserDetail:
    def test_granting_and_revoking_a_role(self, admin_client, world):
        mentor = world.user(Role.MENTOR)
        url = reverse("accounts:user-detail", args=[mentor.pk])
        assert "unit" in admin_client.post(url, {"role": Role.OPERATOR}).context["form"].errors
        admin_client.post(url, {"role": Role.OPERATOR, "unit": world.unit.pk})
        assignment = mentor.role_assignments.get(role=Role.OPERATOR)
        assert assignment.unit == world.unit and assignment.granted_by == world.user(Role.ADMIN)
        admin_client.post(reverse("accounts:role-revoke", args=[assignment.pk]))
        assignment.refresh_from_db()
        assert not assignment.is_active

    def test_an_admin_cannot_revoke_their_own_admin_role(self, admin_client, world):
        own = world.user(Role.ADMIN).role_assignments.get()
        response = admin_client.post(reverse("accounts:role-revoke", args=[own.pk]), follow=True)
        assert "tidak dapat mencabut peran admin Anda sendiri" in response.content.decode()
        own.refresh_from_db()
        assert own.is_active

    def test_linking_an_account_to_its_official(self, admin_client, world):
        judge = world.user(Role.JUDGE)
        admin_client.post(
            reverse("accounts:user-link-official", args=[judge.pk]), {"official": world.sibling_official.pk}
        )
        judge.refresh_from_db()
        assert judge.official == world.sibling_official
        taken = admin_client.post(
            reverse("accounts:user-link-official", args=[world.user(Role.MENTOR).pk]),
            {"official": world.sibling_official.pk},
            follow=True,
        )
        assert "sudah terhubung dengan akun" in taken.content.decode()

    def test_an_official_of_another_region_cannot_be_linked(self, admin_client, world):
        judge = world.user(Role.JUDGE)
        response = admin_client.post(
            reverse("accounts:user-link-official", args=[judge.pk]), {"official": world.other_official.pk}, follow=True
        )
        assert response.status_code == 200
        judge.refresh_from_db()
        assert judge.official is None

    def test_the_history_names_who_granted_what(self, admin_client, world):
        mentor = world.user(Role.MENTOR)
        admin_client.post(reverse("accounts:user-detail", args=[mentor.pk]), {"role": Role.VERIFIER})
        entries = admin_client.get(reverse("accounts:user-history", args=[mentor.pk])).context["entries"]
        granted = entries[0]
        assert (granted.who, granted.kind, granted.subject) == (world.user(Role.ADMIN), "+", "Verifikator")
        assert ("aktif", "Ya") in [(c.label, c.new) for c in granted.changes]

    def test_someone_of_another_region_is_not_found(self, admin_client, world):
        for name in ("accounts:user-detail", "accounts:user-history"):
            assert admin_client.get(reverse(name, args=[world.other_admin.pk])).status_code == 404


class TestCitizenSignup:
    def test_sign_up_then_verify_by_email(self, client, world, django_capture_on_commit_callbacks):
        data = {
            "full_name": "Dewi Anggraini", "email": "dewi@contoh.id", "phone": "0812-7700-1234", "region": world.region.pk,
            "password1": "Kopi-Liwa-Robusta-7", "password2": "Kopi-Liwa-Robusta-7", "consent": "on",
        }  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("accounts:signup"), data)
        user = User.objects.get(email="dewi@contoh.id")
        assert not user.is_active
        link = re.search(r"http\S+", mail.outbox[-1].body).group(0).removeprefix("http://127.0.0.1:8000")
        response = client.get(link)
        assert response.url == reverse("accounts:login")
        user.refresh_from_db()
        assert user.is_active and user.roles_in(world.region) == {Role.CITIZEN}

    def test_a_forged_verification_link_is_refused(self, client):
        response = client.get(reverse("accounts:verify-email", args=["bukan-tanda-sah"]))
        assert response.status_code == 400
        assert "tidak sah" in response.content.decode()

    def test_resending_answers_the_same_for_unknown_addresses(self, client, db, django_capture_on_commit_callbacks):
        known = UserFactory(email="belum@contoh.id", email_verified_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(reverse("accounts:resend-verification"), {"email": known.email})
            second = client.post(reverse("accounts:resend-verification"), {"email": "siapa@contoh.id"})
        assert first.context["sent"] is second.context["sent"] is True
        assert (
            first.content.count(b"tautan baru sudah dikirim") == second.content.count(b"tautan baru sudah dikirim") == 1
        )
        assert len(mail.outbox) == 1


class TestSignInAndProfile:
    def test_a_wrong_password_is_explained_in_indonesian(self, client, world):
        response = client.post(
            reverse("accounts:login"), {"username": world.user(Role.ADMIN).email, "password": "salah"}
        )
        assert "Surel atau kata sandi salah" in response.content.decode()

    def test_signing_in_applies_the_language_of_the_account(self, client, world):
        judge = world.user(Role.JUDGE)
        judge.language = "en"
        judge.save(update_fields=["language"])
        response = client.post(reverse("accounts:login"), {"username": judge.email, "password": "kata-sandi-uji-123"})
        assert response.cookies["lumbung_language"].value == "en"

    def test_changing_the_language_on_the_profile(self, client, world):
        client.force_login(world.user(Role.LEADER))
        response = client.post(reverse("accounts:profile"), {"full_name": "Pimpinan", "phone": "", "language": "en"})
        assert response.cookies["lumbung_language"].value == "en"
        assert client.get(reverse("accounts:profile")).content.decode().count("Save") >= 1

    def test_switching_to_another_region_where_one_holds_a_role(self, client, world):
        verifier = world.user(Role.VERIFIER)
        RoleAssignment.objects.create(user=verifier, role=Role.VERIFIER, region=world.other_region)
        client.force_login(verifier)
        client.post(reverse("accounts:switch-region"), {"region": world.other_region.pk})
        assert client.get(reverse("accounts:profile")).wsgi_request.region == world.other_region
        third = RegionFactory()
        response = client.post(reverse("accounts:switch-region"), {"region": third.pk})
        assert "region" in response.context["form"].errors


class TestHomePanels:
    def test_the_admin_sees_the_organisation_and_user_summaries(self, admin_client, world):
        OfficialFactory(region=world.region)
        response = admin_client.get(reverse("core:home"))
        page = response.content.decode()
        assert "Organisasi" in page and "Pengguna dan peran" in page
        panels = {panel.template: context for panel, context in response.context["panels"]}
        organisation = panels["organisation/panels/organisation.html"]
        assert (organisation["unit_count"], organisation["official_count"], organisation["structural_count"]) == (
            2,
            3,
            2,
        )
        users = panels["accounts/panels/users.html"]
        assert (Role.ADMIN, Role.ADMIN.label, 1) in users["by_role"]

    def test_pending_invitations_show_on_the_admin_panel(self, admin_client, world):
        services.invitation_create(
            email="baru@lambar.test", full_name="Rudi Wibowo", region=world.region, roles=[Role.VERIFIER], unit=None,
            official=None, invited_by=world.user(Role.ADMIN),
        )  # fmt: skip
        assert "Rudi Wibowo" in admin_client.get(reverse("core:home")).content.decode()

    def test_a_role_without_its_own_panel_gets_the_generic_one(self, client, world):
        client.force_login(world.user(Role.JUDGE))
        panels = {panel.template: context for panel, context in client.get(reverse("core:home")).context["panels"]}
        generic = panels["accounts/panels/roles.html"]
        judges_have_a_panel = any(Role.JUDGE in p.roles for p in PANELS if p.template != GENERIC_PANEL)
        assert [label for label, _hint in generic["roles"]] == ([] if judges_have_a_panel else [Role.JUDGE.label])

    def test_the_generic_panel_stays_silent_when_every_role_has_a_panel(self, admin_client, world):
        panels = {
            panel.template: context for panel, context in admin_client.get(reverse("core:home")).context["panels"]
        }
        assert panels["accounts/panels/roles.html"]["roles"] == []

"""The national admin grants and revokes the province admin role (accounts.province_admins)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lumbung.accounts import province_admins
from lumbung.accounts.models import Invitation, RoleAssignment
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.organisation.models import Region
from tests.factories import UserFactory, user_with_role

PAGE = "accounts:province-admins"
REASON = "SK Gubernur Lampung No. 800/45/2026"


@pytest.fixture
def lampung(world):
    province = Region.objects.create(code="18", name="Provinsi Lampung", kind=Region.Kind.PROVINCE, is_hosted=True)
    Region.objects.filter(pk=world.region.pk).update(province=province)
    return province


@pytest.fixture
def national(world):
    browser = Client()
    browser.force_login(world.national_admin)
    return browser


@pytest.fixture
def person(db):
    return UserFactory(email="rina@lampungprov.go.id", full_name="Rina Marlina, S.E.")


def _form(**overrides) -> dict:
    data = {"province": "18", "email": "rina@lampungprov.go.id", "full_name": "", "reason": REASON}
    data.update(overrides)
    return data


def _nothing_saved() -> None:
    assert not RoleAssignment.objects.filter(role=Role.PROVINCE_ADMIN).exists()
    assert not Invitation.objects.exists()
    assert not RoleAssignment.history.filter(role=Role.PROVINCE_ADMIN).exists()


class TestGrant:
    def test_a_person_with_an_account_becomes_province_admin_with_who_when_why(self, national, world, lampung, person):
        response = national.post(reverse(PAGE), _form(email=" RINA@lampungprov.go.id "))
        assert response.status_code == 302 and response["Location"] == reverse(PAGE)
        assignment = RoleAssignment.objects.get(user=person, role=Role.PROVINCE_ADMIN)
        assert (assignment.region, assignment.is_active, assignment.granted_by) == (lampung, True, world.national_admin)
        record = assignment.history.get()
        assert (record.history_user, record.history_change_reason) == (world.national_admin, REASON)
        assert not Invitation.objects.exists()
        listing = national.get(reverse(PAGE)).content.decode()
        assert "rina@lampungprov.go.id" in listing and REASON in listing
        assert reverse("accounts:province-admin-revoke", args=[assignment.pk]) in listing

    def test_the_new_province_admin_reads_the_province_rankings(self, national, client, world, lampung, person):
        national.post(reverse(PAGE), _form())
        client.force_login(person)
        assert client.get(reverse("rankings:overview")).status_code == 200

    def test_a_person_without_an_account_is_invited_and_gets_the_role_on_accepting(
        self, national, client, world, lampung, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = national.post(reverse(PAGE), _form(email="baru@lampungprov.go.id", full_name="Andi Saputra"))
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.region, invitation.roles, invitation.invited_by) == (
            "baru@lampungprov.go.id", lampung, [Role.PROVINCE_ADMIN], world.national_admin,
        )  # fmt: skip
        assert invitation.history.get().history_change_reason == REASON
        assert mail.outbox[-1].to == ["baru@lampungprov.go.id"]
        assert "Andi Saputra" in national.get(reverse(PAGE)).content.decode()
        client.post(
            reverse("accounts:invitation-accept", args=[invitation.token]),
            {"password1": "Sandi-Baru-Provinsi-2026", "password2": "Sandi-Baru-Provinsi-2026"},
        )
        assignment = RoleAssignment.objects.get(role=Role.PROVINCE_ADMIN, region=lampung, is_active=True)
        assert assignment.user.email == "baru@lampungprov.go.id" and assignment.granted_by == world.national_admin
        record = assignment.history.get()
        assert (record.history_user, record.history_change_reason) == (world.national_admin, REASON)
        assert client.get(reverse("rankings:overview")).status_code == 200

    def test_a_regranted_role_is_recorded_again(self, world, lampung, person):
        done = province_admins.province_admin_grant(
            code="18", email=person.email, reason=REASON, actor=world.national_admin
        )
        province_admins.province_admin_revoke(
            assignment=done.assignment, reason="Pindah tugas", actor=world.national_admin
        )
        again = province_admins.province_admin_grant(
            code="18", email=person.email, reason="Kembali bertugas", actor=world.national_admin
        )
        assert again.assignment.pk == done.assignment.pk and again.assignment.is_active
        reasons = list(done.assignment.history.order_by("history_id").values_list("history_change_reason", "is_active"))
        assert reasons == [(REASON, True), ("Pindah tugas", False), ("Kembali bertugas", True)]

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"province": "18.04"}, "province", "Kabupaten Lampung Barat bukan provinsi."),
            ({"province": "99"}, "province", "Kode 99 tidak ada dalam daftar pemda Kepmendagri."),
            ({"province": "33"}, "province", "Provinsi Jawa Tengah belum memakai aplikasi ini; daftarkan lebih dulu."),
            ({"email": "bukan-surel"}, "email", "'bukan-surel' bukan alamat surel yang sah."),
            ({"email": "tanpa.nama@lampungprov.go.id"}, "full_name", "belum punya akun: isi nama lengkapnya"),
            ({"reason": "   "}, "reason", "Tuliskan alasannya"),
            ({"reason": "x" * 101}, "reason", "Alasan paling panjang 100 karakter (kini 101)."),
            ({"reason": "Surat\x00"}, "reason", "Karakter null tidak diizinkan."),
            ({"province": "18\x00"}, "province", "Karakter null tidak diizinkan."),
        ],
    )
    def test_bad_input_is_refused_in_indonesian_and_nothing_is_saved(
        self, national, lampung, person, overrides, field, message
    ):
        Region.objects.create(code="33", name="Provinsi Jawa Tengah", kind=Region.Kind.PROVINCE)
        response = national.post(reverse(PAGE), _form(**overrides))
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors.get(field, []))
        assert message in errors, response.context["form"].errors
        _nothing_saved()

    def test_a_deactivated_province_is_refused(self, national, lampung, person):
        Region.objects.filter(pk=lampung.pk).update(is_hosted=False, deactivated_at=timezone.now())
        response = national.post(reverse(PAGE), _form())
        assert "Provinsi Lampung sedang dinonaktifkan" in response.context["form"].errors["province"][0]
        _nothing_saved()

    def test_someone_who_already_holds_the_role_is_refused(self, national, world, lampung, person):
        national.post(reverse(PAGE), _form())
        response = national.post(reverse(PAGE), _form(reason="Kedua kali"))
        assert response.status_code == 200
        assert "Rina Marlina, S.E. sudah menjadi admin Provinsi Lampung." in response.context["form"].errors["email"]
        assert RoleAssignment.objects.get(role=Role.PROVINCE_ADMIN).history.count() == 1

    def test_the_province_admin_of_another_province_may_also_be_made_admin_here(self, world, lampung, person):
        other = Region.objects.create(
            code="16", name="Provinsi Sumatera Selatan", kind=Region.Kind.PROVINCE, is_hosted=True
        )
        RoleAssignment.objects.create(user=person, role=Role.PROVINCE_ADMIN, region=other)
        done = province_admins.province_admin_grant(
            code="18", email=person.email, reason=REASON, actor=world.national_admin
        )
        assert done.assignment.region == lampung

    def test_a_failure_after_the_grant_leaves_nothing_half_saved(self, world, lampung, person, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("disk penuh")

        monkeypatch.setattr(province_admins, "role_grant", broken)
        with pytest.raises(RuntimeError):
            province_admins.province_admin_grant(
                code="18", email=person.email, reason=REASON, actor=world.national_admin
            )
        _nothing_saved()


class TestRevoke:
    @pytest.fixture
    def held(self, world, lampung, person):
        return province_admins.province_admin_grant(
            code="18", email=person.email, reason=REASON, actor=world.national_admin
        ).assignment

    def test_revoking_needs_a_reason_and_records_it(self, national, client, world, held, person):
        url = reverse("accounts:province-admin-revoke", args=[held.pk])
        page = national.get(url)
        assert page.status_code == 200 and "Rina Marlina" in page.content.decode()
        refused = national.post(url, {"reason": ""})
        assert refused.status_code == 200 and refused.context["form"].errors["reason"]
        held.refresh_from_db()
        assert held.is_active
        response = national.post(url, {"reason": "Pindah tugas ke Dinas Kominfo"})
        assert response.status_code == 302 and response["Location"] == reverse(PAGE)
        held.refresh_from_db()
        assert not held.is_active
        record = held.history.first()
        assert (record.history_user, record.history_change_reason) == (
            world.national_admin,
            "Pindah tugas ke Dinas Kominfo",
        )
        client.force_login(person)
        assert client.get(reverse("rankings:overview")).status_code == 403
        assert "Pindah tugas ke Dinas Kominfo" in national.get(reverse(PAGE)).content.decode()

    def test_a_revoked_role_or_another_role_is_not_found(self, national, world, held):
        province_admins.province_admin_revoke(assignment=held, reason="Selesai", actor=world.national_admin)
        assert national.get(reverse("accounts:province-admin-revoke", args=[held.pk])).status_code == 404
        admin_role = RoleAssignment.objects.get(user=world.user(Role.ADMIN))
        assert (
            national.post(reverse("accounts:province-admin-revoke", args=[admin_role.pk]), {"reason": "x"}).status_code
            == 404
        )
        admin_role.refresh_from_db()
        assert admin_role.is_active

    def test_the_service_refuses_a_role_already_revoked(self, world, held):
        province_admins.province_admin_revoke(assignment=held, reason="Selesai", actor=world.national_admin)
        with pytest.raises(Exception, match="sudah tidak aktif"):
            province_admins.province_admin_revoke(assignment=held, reason="Lagi", actor=world.national_admin)


class TestPermissions:
    @pytest.mark.parametrize("role", [str(role) for role in REGION_ROLES])
    def test_only_the_national_admin_opens_or_posts(self, client, world, lampung, person, role):
        held = RoleAssignment.objects.create(user=person, role=Role.PROVINCE_ADMIN, region=lampung)
        client.force_login(world.user(role))
        assert client.get(reverse(PAGE)).status_code == 403
        assert client.post(reverse(PAGE), _form(email="lain@contoh.go.id", full_name="Lain")).status_code == 403
        url = reverse("accounts:province-admin-revoke", args=[held.pk])
        assert client.post(url, {"reason": "Coba"}).status_code == 403
        held.refresh_from_db()
        assert held.is_active and not Invitation.objects.exists()

    def test_a_province_admin_cannot_grant_or_revoke(self, client, world, lampung, person):
        held = RoleAssignment.objects.create(user=person, role=Role.PROVINCE_ADMIN, region=lampung)
        client.force_login(person)
        assert client.post(reverse(PAGE), _form(email="teman@contoh.go.id", full_name="Teman")).status_code == 403
        assert (
            client.post(reverse("accounts:province-admin-revoke", args=[held.pk]), {"reason": "x"}).status_code == 403
        )
        assert not Invitation.objects.exists()

    def test_visitors_are_sent_to_sign_in(self, client, lampung):
        response = client.get(reverse(PAGE))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))

    def test_the_service_itself_refuses_anyone_but_a_national_admin(self, world, lampung, person):
        with pytest.raises(PermissionDenied):
            province_admins.province_admin_grant(
                code="18", email=person.email, reason=REASON, actor=world.user("admin")
            )
        _nothing_saved()

    def test_the_menu_offers_the_page_to_the_national_admin(self, national, lampung):
        assert f'href="{reverse(PAGE)}"' in national.get(reverse("core:home")).content.decode()


class TestListing:
    def test_provinces_are_paged_with_their_admins_in_few_queries(self, national, world, django_assert_max_num_queries):
        def fill(first: int, last: int) -> None:
            for number in range(first, last):
                province = Region.objects.create(
                    code=f"{number}", name=f"Provinsi Uji {number}", kind=Region.Kind.PROVINCE, is_hosted=True
                )
                for _n in range(2):
                    user_with_role(Role.PROVINCE_ADMIN, province)
                Invitation.objects.create(
                    email=f"calon{number}@contoh.go.id", full_name=f"Calon {number}", region=province,
                    roles=[Role.PROVINCE_ADMIN], invited_by=world.national_admin,
                )  # fmt: skip

        fill(40, 45)
        national.get(reverse(PAGE))
        with django_assert_max_num_queries(20) as few:
            national.get(reverse(PAGE))
        fill(45, 70)
        with django_assert_max_num_queries(len(few.captured_queries)):
            first = national.get(reverse(PAGE))
        assert first.context["page_obj"].paginator.num_pages == 2
        assert len(first.context["page_obj"].object_list) == 20
        names = [province.name for province in first.context["page_obj"]]
        assert names[0] == "Provinsi Uji 40" and "Provinsi Uji 69" not in names
        assert "calon40@contoh.go.id" in first.content.decode()
        assert all(len(province.province_admins) == 2 for province in first.context["page_obj"])
        last = national.get(reverse(PAGE), {"page": 2}).context["page_obj"]
        assert [province.name for province in last][-1] == "Provinsi Uji 69"

    def test_a_deactivated_province_with_a_resting_admin_is_still_listed(self, national, lampung, person):
        RoleAssignment.objects.create(user=person, role=Role.PROVINCE_ADMIN, region=lampung)
        Region.objects.filter(pk=lampung.pk).update(is_hosted=False, deactivated_at=timezone.now())
        html = national.get(reverse(PAGE)).content.decode()
        assert "Provinsi Lampung" in html and "rina@lampungprov.go.id" in html

    def test_a_bad_page_number_shows_the_last_page(self, national, lampung):
        assert national.get(reverse(PAGE), {"page": "999"}).status_code == 200


def test_the_page_and_its_refusals_read_in_english(world, lampung, person, settings):
    browser = Client()
    browser.force_login(world.national_admin)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = browser.get(reverse(PAGE)).content.decode()
    assert "Grant the province admin role" in page and "Current province admins" in page
    refused = browser.post(reverse(PAGE), _form(province="18.04"))
    assert "Kabupaten Lampung Barat is not a province." in refused.content.decode()

"""Onboarding a region in one step, and deactivating and reactivating one (accounts.regions)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from lumbung.accounts import regions
from lumbung.accounts.management.commands.onboard_region import Command as OnboardCommand
from lumbung.accounts.models import Invitation, RoleAssignment
from lumbung.core.roles import Role
from lumbung.organisation.models import Region, RegionEvent, Unit
from lumbung.organisation.unit_templates import TEMPLATE_FILES, template_path
from tests.factories import user_with_role

PASSWORD = "kata-sandi-uji-123"  # noqa: S105 - the factories' test password


@pytest.fixture
def pesisir(world):
    province = world.region.province or Region.objects.create(code="18", name="Lampung", kind=Region.Kind.PROVINCE)
    return Region.objects.create(
        code="18.13", name="Kabupaten Pesisir Barat", kind=Region.Kind.REGENCY, province=province
    )


@pytest.fixture
def national(world):
    """The national admin's own browser (tests use `client` for the region's people)."""
    browser = Client()
    browser.force_login(world.national_admin)
    return browser


def _template_count(kind) -> int:
    with open(template_path(kind), encoding="utf-8") as handle:
        return sum(1 for _row in csv.DictReader(handle))


def _form(**overrides) -> dict:
    data = {
        "code": "18.13", "source": "template", "admin_name": "Rahmat Hidayat, S.Kom.",
        "admin_email": "admin@pesisirbaratkab.go.id", "reason": "Surat Bupati Pesisir Barat No. 800/112/2026",
    }  # fmt: skip
    data.update(overrides)
    return data


def _nothing_saved(region: Region) -> None:
    region.refresh_from_db()
    assert not region.is_hosted
    assert not Unit.objects.filter(region=region).exists()
    assert not Invitation.objects.filter(region=region).exists()
    assert not RegionEvent.objects.filter(region=region).exists()


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return SimpleUploadedFile("perangkat-daerah.xlsx", buffer.getvalue(), content_type)


class TestTemplates:
    @pytest.mark.parametrize("kind", list(TEMPLATE_FILES))
    def test_every_template_reads_as_a_unit_import_without_errors(self, db, kind):
        region = Region.objects.create(code="99.99", name="Contoh", kind=kind)
        rows = regions.unit_rows_for(region)
        assert len(rows.rows) == _template_count(kind) > 30
        assert {row["kind"] for row in rows.rows} >= {Unit.Kind.SECRETARIAT, Unit.Kind.OFFICE, Unit.Kind.AGENCY}


class TestOnboardingPage:
    def test_one_step_builds_the_tree_opens_the_region_and_invites_its_admin(
        self, national, world, pesisir, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = national.post(reverse("accounts:region-onboard"), _form())
        assert response.status_code == 302
        pesisir.refresh_from_db()
        assert pesisir.is_hosted and pesisir.deactivated_at is None
        units = Unit.objects.filter(region=pesisir)
        assert units.count() == _template_count(Region.Kind.REGENCY)
        hospital = units.get(short_name="RSUD")
        assert hospital.parent.short_name == "Dinkes" and hospital.path == f"{hospital.parent.path}{hospital.pk}/"
        assert hospital.depth == 1 and hospital.history.get().history_user == world.national_admin
        invitation = Invitation.objects.get(region=pesisir)
        assert (invitation.email, invitation.roles, invitation.invited_by) == (
            "admin@pesisirbaratkab.go.id", [Role.ADMIN], world.national_admin,
        )  # fmt: skip
        assert mail.outbox[-1].to == ["admin@pesisirbaratkab.go.id"]
        event = RegionEvent.objects.get(region=pesisir)
        assert (event.action, event.actor, event.to_state) == ("onboard", world.national_admin, "active")
        assert event.note == "Surat Bupati Pesisir Barat No. 800/112/2026"
        assert pesisir.history.first().history_user == world.national_admin

    def test_the_invited_admin_accepts_and_administers_the_new_region(self, national, client, world, pesisir):
        national.post(reverse("accounts:region-onboard"), _form())
        invitation = Invitation.objects.get(region=pesisir)
        client.post(
            reverse("accounts:invitation-accept", args=[invitation.token]),
            {"password1": "Sandi-Baru-Pesisir-2026", "password2": "Sandi-Baru-Pesisir-2026"},
        )
        assert RoleAssignment.objects.filter(region=pesisir, role=Role.ADMIN, is_active=True).exists()

    def test_the_region_list_offers_onboarding_and_the_form_is_prefilled(self, national, pesisir):
        listing = national.get(reverse("organisation:region-list"), {"q": "18.13"}).content.decode()
        assert reverse("accounts:region-onboard") + "?kode=18.13" in listing
        page = national.get(reverse("accounts:region-onboard"), {"kode": "18.13"})
        assert page.context["form"]["code"].value() == "18.13"
        assert ("18.13", "Kabupaten Pesisir Barat") in list(page.context["candidates"])

    def test_units_from_an_uploaded_workbook(self, national, pesisir):
        upload = _xlsx([
            ["Nama", "Singkatan", "Jenis", "Induk"],
            ["Sekretariat Daerah", "Setda", "Sekretariat", ""],
            ["Bagian Hukum", "Bag. Hukum", "Lainnya", "Setda"],
            ["Dinas Kelautan dan Perikanan", "DKP", "Dinas", ""],
        ])  # fmt: skip
        response = national.post(reverse("accounts:region-onboard"), _form(source="file", file=upload))
        assert response.status_code == 302
        units = {unit.name: unit for unit in Unit.objects.filter(region=pesisir)}
        assert set(units) == {"Sekretariat Daerah", "Bagian Hukum", "Dinas Kelautan dan Perikanan"}
        assert units["Bagian Hukum"].parent == units["Sekretariat Daerah"]
        assert RegionEvent.objects.get(region=pesisir).data["source"] == "perangkat-daerah.xlsx"

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"code": "99.77"}, "code", "tidak ada dalam daftar pemda Kepmendagri"),
            ({"code": "18.04"}, "code", "sudah memakai aplikasi ini"),
            ({"admin_email": "bukan-surel"}, "admin_email", "bukan alamat surel yang sah"),
            ({"admin_email": ""}, "admin_email", "tidak boleh kosong"),
            ({"admin_name": "   "}, "admin_name", "tidak boleh kosong"),
            ({"reason": "a\x00b"}, "reason", "tidak diizinkan"),
            ({"source": "file"}, "file", "Pilih berkas perangkat daerah"),
        ],
    )
    def test_a_bad_input_is_refused_with_a_message_and_changes_nothing(
        self, national, pesisir, overrides, field, message
    ):
        response = national.post(reverse("accounts:region-onboard"), _form(**overrides))
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors.get(field, []))
        assert message.lower() in errors.lower(), response.context["form"].errors
        _nothing_saved(pesisir)
        assert Region.objects.get(code="18.04").units.count() == 2  # the hosted region is untouched

    def test_a_file_with_a_bad_row_is_refused_whole(self, national, pesisir):
        upload = _xlsx([
            ["Nama", "Jenis", "Induk"],
            ["Sekretariat Daerah", "Sekretariat", ""],
            ["Dinas Tanpa Jenis", "Kantor Antah", ""],
            ["Bagian Hukum", "Lainnya", "Biro Yang Tidak Ada"],
        ])  # fmt: skip
        response = national.post(reverse("accounts:region-onboard"), _form(source="file", file=upload))
        errors = " ".join(response.context["form"].errors["file"])
        assert "Baris 3" in errors and "Baris 4" in errors
        _nothing_saved(pesisir)

    def test_a_file_without_rows_is_refused(self, national, pesisir):
        upload = _xlsx([["Nama", "Jenis", "Induk"]])
        response = national.post(reverse("accounts:region-onboard"), _form(source="file", file=upload))
        assert "tidak berisi baris data" in " ".join(response.context["form"].errors["file"])
        _nothing_saved(pesisir)

    def test_a_deactivated_region_is_reactivated_not_onboarded_again(self, national, world):
        regions.region_deactivate(region=world.region, actor=world.national_admin, reason="Uji")
        response = national.post(reverse("accounts:region-onboard"), _form(code="18.04"))
        assert "aktifkan kembali" in " ".join(response.context["form"].errors["code"])
        assert Unit.objects.filter(region=world.region).count() == 2

    def test_a_failure_after_the_units_leaves_nothing_half_saved(self, national, pesisir, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("surel tidak terkirim")

        monkeypatch.setattr(regions, "invitation_create", broken)
        with pytest.raises(RuntimeError):
            national.post(reverse("accounts:region-onboard"), _form())
        _nothing_saved(pesisir)

    def test_only_the_national_admin_onboards(self, client, world, pesisir):
        client.force_login(world.user(Role.ADMIN))
        assert client.post(reverse("accounts:region-onboard"), _form()).status_code == 403
        with pytest.raises(regions.PermissionDenied):
            regions.region_onboard(
                code="18.13", actor=world.user(Role.ADMIN), admin_email="a@b.go.id", admin_name="A", reason="x"
            )
        _nothing_saved(pesisir)


class TestOnboardingCommand:
    def test_the_command_onboards_in_one_step(self, world, pesisir, capsys):
        call_command(
            "onboard_region", "18.13", "--surel", "admin@pesisirbaratkab.go.id", "--nama", "Rahmat Hidayat",
            "--alasan", "Surat permohonan No. 800/112/2026", "--oleh", world.national_admin.email,
        )  # fmt: skip
        pesisir.refresh_from_db()
        assert pesisir.is_hosted
        assert Unit.objects.filter(region=pesisir).count() == _template_count(Region.Kind.REGENCY)
        assert "kini memakai aplikasi ini" in capsys.readouterr().out
        assert RegionEvent.objects.get(region=pesisir).actor == world.national_admin

    def test_the_command_reads_a_csv_file(self, world, pesisir, tmp_path):
        path = tmp_path / "opd.csv"
        path.write_text("Nama;Jenis;Induk\nSekretariat Daerah;Sekretariat;\nBagian Umum;Lainnya;Sekretariat Daerah\n")
        call_command(
            "onboard_region", "18.13", "--surel", "a@pesisirbaratkab.go.id", "--nama", "A", "--alasan", "Surat",
            "--berkas", str(path),
        )  # fmt: skip
        assert Unit.objects.get(region=pesisir, name="Bagian Umum").parent.name == "Sekretariat Daerah"

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (["99.77"], "tidak ada dalam daftar pemda Kepmendagri"),
            (["18.04"], "sudah memakai aplikasi ini"),
            (["18.13", "--surel", "bukan surel"], "bukan alamat surel yang sah"),
            (["18.13", "--alasan", " "], "Tuliskan dasar pendaftaran"),
            (["18.13", "--berkas", "/tidak/ada.xlsx"], "tidak ditemukan"),
            (["18.13", "--oleh", "siapa@contoh.go.id"], "bukan akun admin nasional"),
        ],
    )
    def test_a_refusal_exits_non_zero_with_the_reason_and_no_traceback(
        self, world, pesisir, capsys, monkeypatch, arguments, message
    ):
        # run_from_argv closes the database connections when it ends; the test still needs its own.
        monkeypatch.setattr(connections, "close_all", lambda: None)
        defaults = {"--surel": "a@pesisirbaratkab.go.id", "--nama": "A", "--alasan": "Surat"}
        argv = list(arguments)
        for flag, value in defaults.items():
            if flag not in argv:
                argv += [flag, value]
        with pytest.raises(SystemExit) as exited:
            OnboardCommand().run_from_argv(["manage.py", "onboard_region", *argv])
        assert exited.value.code != 0
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
        _nothing_saved(pesisir)

    def test_a_region_admin_cannot_onboard_from_the_command(self, world, pesisir):
        with pytest.raises(CommandError, match="bukan akun admin nasional"):
            call_command(
                "onboard_region", "18.13", "--surel", "a@b.go.id", "--nama", "A", "--alasan", "x",
                "--oleh", world.user(Role.ADMIN).email,
            )  # fmt: skip

    def test_several_national_admins_must_say_who_acts(self, world, pesisir):
        user_with_role(Role.NATIONAL_ADMIN)
        with pytest.raises(CommandError, match="--oleh"):
            call_command("onboard_region", "18.13", "--surel", "a@b.go.id", "--nama", "A", "--alasan", "x")
        _nothing_saved(pesisir)


class TestDeactivation:
    def _deactivate(self, national, world, reason="Pemda meminta layanan dihentikan sementara (surat 005/2026)"):
        return national.post(reverse("accounts:region-deactivate", args=[world.region.pk]), {"reason": reason})

    def test_deactivating_keeps_the_data_and_hides_the_region(self, national, client, world):
        units = Unit.objects.filter(region=world.region).count()
        response = self._deactivate(national, world)
        assert response.status_code == 302
        world.region.refresh_from_db()
        assert not world.region.is_hosted and world.region.deactivated_at is not None
        assert Unit.objects.filter(region=world.region).count() == units
        assert RoleAssignment.objects.filter(region=world.region, is_active=True).count() == len(world.users)
        event = RegionEvent.objects.get(region=world.region)
        assert (event.action, event.actor, event.from_state, event.to_state) == (
            "deactivate", world.national_admin, "active", "inactive",
        )  # fmt: skip
        assert event.note.startswith("Pemda meminta")
        landing = client.get(reverse("core:landing")).content.decode()
        assert world.region.name not in landing and world.other_region.name in landing
        assert client.get(reverse("showcase:index", args=[world.region.code])).status_code == 404
        api = client.get(reverse("api:region-list")).json()
        codes = [row["code"] for row in (api["results"] if isinstance(api, dict) else api)]
        assert world.region.code not in codes and world.other_region.code in codes
        assert client.get(reverse("api:region-detail", args=[world.region.code])).status_code == 404

    def test_pickers_leave_a_deactivated_region_out(self, national, world):
        from lumbung.accounts.forms import RegionSwitchForm, SignupForm

        self._deactivate(national, world)
        assert world.region not in SignupForm().fields["region"].queryset
        assert world.region not in RegionSwitchForm(user=world.national_admin).fields["region"].queryset

    def test_its_users_are_told_why_they_cannot_sign_in(self, national, client, world):
        self._deactivate(national, world)
        admin = world.user(Role.ADMIN)
        response = client.post(reverse("accounts:login"), {"username": admin.email, "password": PASSWORD})
        assert response.status_code == 200
        page = response.content.decode()
        assert "sedang dinonaktifkan" in page and world.region.name in page
        assert "_auth_user_id" not in client.session

    def test_a_signed_in_user_loses_the_region_at_once(self, national, client, world):
        admin = world.user(Role.ADMIN)
        client.force_login(admin)
        assert client.get(reverse("organisation:unit-list")).status_code == 200
        self._deactivate(national, world)
        assert client.get(reverse("organisation:unit-list")).status_code == 403

    def test_an_open_invitation_waits_for_reactivation(self, national, client, world):
        invitation = Invitation.objects.create(
            email="calon@lambar.test", full_name="Calon", region=world.region, roles=[Role.VERIFIER],
            invited_by=world.user(Role.ADMIN),
        )  # fmt: skip
        self._deactivate(national, world)
        client.post(
            reverse("accounts:invitation-accept", args=[invitation.token]),
            {"password1": "Sandi-Calon-Lambar-2026", "password2": "Sandi-Calon-Lambar-2026"},
        )
        invitation.refresh_from_db()
        assert invitation.accepted_at is None

    def test_reactivating_restores_everything(self, national, client, world):
        self._deactivate(national, world)
        response = national.post(
            reverse("accounts:region-reactivate", args=[world.region.pk]), {"reason": "Layanan dibuka lagi"}
        )
        assert response.status_code == 302
        world.region.refresh_from_db()
        assert world.region.is_hosted and world.region.deactivated_at is None
        actions = list(RegionEvent.objects.filter(region=world.region).values_list("action", flat=True))
        assert actions == ["deactivate", "reactivate"]
        page = national.get(reverse("accounts:region-deactivate", args=[world.region.pk])).content.decode()
        assert "Layanan dibuka lagi" in page and "Dinonaktifkan" in page
        assert client.get(reverse("showcase:index", args=[world.region.code])).status_code == 200
        admin = world.user(Role.ADMIN)
        response = client.post(reverse("accounts:login"), {"username": admin.email, "password": PASSWORD})
        assert response.status_code == 302

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_reason_is_required(self, national, world, reason):
        response = self._deactivate(national, world, reason=reason)
        assert response.status_code == 200 and response.context["form"].errors["reason"]
        world.region.refresh_from_db()
        assert world.region.is_hosted and not RegionEvent.objects.exists()

    def test_a_region_not_yet_here_cannot_be_deactivated_or_reactivated(self, national, pesisir):
        for name in ("accounts:region-deactivate", "accounts:region-reactivate"):
            response = national.post(reverse(name, args=[pesisir.pk]), {"reason": "Uji"})
            assert response.status_code == 200 and response.context["form"].non_field_errors()
        _nothing_saved(pesisir)

    @pytest.mark.parametrize("role", [Role.ADMIN, Role.VERIFIER, Role.LEADER])
    def test_only_the_national_admin_deactivates(self, client, world, role):
        client.force_login(world.user(role))
        response = client.post(reverse("accounts:region-deactivate", args=[world.region.pk]), {"reason": "Uji"})
        assert response.status_code == 403
        world.region.refresh_from_db()
        assert world.region.is_hosted
        with pytest.raises(regions.PermissionDenied):
            regions.region_deactivate(region=world.region, actor=world.user(role), reason="Uji")

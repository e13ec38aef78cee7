"""manage.py onboard_region KODE --surel ... --nama ... --alasan ... [--berkas FILE] [--oleh EMAIL]

The same one step as the national admin's page (accounts.regions.region_onboard): a refusal prints
the reason in Indonesian, exits with status 1 and changes nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from lumbung.accounts.models import RoleAssignment, User
from lumbung.accounts.regions import region_onboard
from lumbung.core.roles import Role


class Command(BaseCommand):
    help = (
        "Daftarkan pemda dalam satu langkah: perangkat daerah dari templat (atau --berkas), buka di aplikasi, "
        "undang admin pertamanya."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="kode Kemendagri, misalnya 18.13")
        parser.add_argument("--surel", required=True, help="surel admin pertama pemda")
        parser.add_argument("--nama", required=True, help="nama admin pertama pemda")
        parser.add_argument("--alasan", required=True, help="dasar pendaftaran, misalnya nomor surat permohonan")
        parser.add_argument("--berkas", help="berkas perangkat daerah (.xlsx atau .csv) sebagai ganti templat")
        parser.add_argument("--oleh", help="surel admin nasional yang mendaftarkan (boleh kosong bila hanya ada satu)")

    def handle(self, *args, **options):
        actor = self._actor(options.get("oleh"))
        path = Path(options["berkas"]) if options.get("berkas") else None
        if path is not None and not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            if path is None:
                done = self._onboard(options, actor, upload=None)
            else:
                with open(path, "rb") as handle:
                    done = self._onboard(options, actor, upload=handle, file_name=path.name)
        except ValidationError as error:
            raise CommandError("Pemda tidak didaftarkan; tidak ada yang disimpan.\n" + _describe(error)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{done.region.name} ({done.region.code}) kini memakai aplikasi ini: {len(done.units)} perangkat "
                f"daerah dari {done.source}; undangan admin dikirim ke {done.invitation.email}."
            )
        )

    def _onboard(self, options, actor, *, upload, file_name: str = ""):
        return region_onboard(
            code=options["code"], actor=actor, admin_email=options["surel"], admin_name=options["nama"],
            reason=options["alasan"], upload=upload, file_name=file_name,
        )  # fmt: skip

    def _actor(self, email: str | None) -> User:
        admins = User.objects.filter(is_active=True).filter(
            pk__in=RoleAssignment.objects.filter(role=Role.NATIONAL_ADMIN, is_active=True).values("user_id")
        ) | User.objects.filter(is_active=True, is_superuser=True)
        admins = admins.distinct()
        if email:
            actor = admins.filter(email__iexact=email.strip()).first()
            if actor is None:
                raise CommandError(f"{email} bukan akun admin nasional yang aktif.")
            return actor
        found = list(admins[:2])
        if len(found) != 1:
            raise CommandError(
                "Sebutkan admin nasional yang mendaftarkan dengan --oleh SUREL."
                if found
                else "Belum ada admin nasional; buat dulu dengan manage.py createsuperuser."
            )
        return found[0]


def _describe(error: ValidationError) -> str:
    labels = {"code": "Kode", "admin_email": "Surel", "admin_name": "Nama", "reason": "Alasan", "file": "Berkas"}
    if not hasattr(error, "error_dict"):
        return "\n".join(f"- {message}" for message in error.messages)
    return "\n".join(
        f"- {labels.get(name, name)}: {message}"
        for name, errors in error.error_dict.items()
        for item in errors
        for message in item.messages
    )

"""manage.py restore: into an empty database and storage, checked against the manifest."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lumbung.backups import services


class Command(BaseCommand):
    help = "Memulihkan cadangan ke basis data dan penyimpanan berkas yang kosong, lalu mencocokkannya dengan manifes."

    # A restore must not depend on the URL or template checks of the code it runs beside.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="Berkas cadangan (.tar atau .tar.age), atau namanya di bucket dengan --remote."
        )
        parser.add_argument("--remote", action="store_true", help="Ambil cadangan dari bucket S3 cadangan.")
        parser.add_argument(
            "--identity", help="Berkas kunci rahasia age (AGE-SECRET-KEY-…) untuk cadangan terenkripsi."
        )

    def handle(self, *args, **options):
        identity = ""
        if options["identity"]:
            try:
                lines = Path(options["identity"]).read_text().splitlines()
            except OSError as error:
                raise CommandError(
                    f"Berkas kunci {options['identity']} tidak dapat dibaca ({error.strerror})."
                ) from error
            identity = next((line for line in lines if line.startswith("AGE-SECRET-KEY-")), "")
            if not identity:
                raise CommandError("Berkas kunci tidak berisi kunci rahasia age (AGE-SECRET-KEY-…).")
        try:
            with tempfile.TemporaryDirectory(prefix="lumbung-unduh-") as work:
                source = Path(options["archive"])
                if options["remote"]:
                    source = services.remote_fetch(options["archive"], Path(work))
                result = services.backup_restore(source, identity=identity)
        except services.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Pemulihan selesai dan cocok dengan manifes: {result.tables} tabel, {result.rows} baris, "
            f"{result.files} berkas, {result.seconds:.1f} detik."
        )

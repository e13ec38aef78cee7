"""manage.py backup: one archive of the database and every stored file (README, "Cadangan")."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from lumbung.backups import services


class Command(BaseCommand):
    help = "Mencadangkan basis data dan semua berkas ke satu arsip (opsional terenkripsi dan disalin ke S3)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Folder tujuan (bawaan: LUMBUNG_BACKUP_DIR).")
        parser.add_argument(
            "--recipient", action="append", default=None,
            help="Kunci publik age (age1…) untuk enkripsi; boleh berulang. Bawaan: LUMBUNG_BACKUP_RECIPIENTS.",
        )  # fmt: skip
        parser.add_argument("--no-upload", action="store_true", help="Jangan salin ke bucket S3 cadangan.")
        parser.add_argument("--no-prune", action="store_true", help="Jangan hapus cadangan lama (retensi).")

    def handle(self, *args, **options):
        from pathlib import Path

        directory = Path(options["dir"]) if options["dir"] else None
        try:
            result = services.backup_create(
                directory=directory, recipients=options["recipient"], upload=not options["no_upload"]
            )
            if not options["no_prune"]:
                remote = None if options["no_upload"] else services.remote_storage()
                result.pruned = services.backups_prune(directory, remote)
        except services.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Cadangan selesai: {result.path} ({filesizeformat(result.size)}), {result.tables} tabel, "
            f"{result.rows} baris, {result.files} berkas, {result.seconds:.1f} detik."
        )
        if result.remote:
            self.stdout.write(f"Salinan di luar mesin: {result.remote}")
        if result.pruned:
            self.stdout.write(f"Dihapus oleh retensi: {', '.join(result.pruned)}")

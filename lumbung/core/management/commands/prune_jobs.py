"""manage.py prune_jobs: remove finished jobs and their result files after the retention (cron, daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from lumbung.core.workers import jobs_prune


class Command(BaseCommand):
    help = "Menghapus tugas latar yang sudah selesai beserta berkas hasilnya setelah masa simpan."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.LUMBUNG_JOB_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        removed, files = jobs_prune(days)
        self.stdout.write(f"Tugas dihapus: {removed} (berkas hasil: {files}), lebih lama dari {days} hari.")

"""manage.py reap_jobs: retry or fail the jobs whose worker died (cron, every few minutes)."""

from django.core.management.base import BaseCommand

from lumbung.core.workers import jobs_reap


class Command(BaseCommand):
    help = "Mengulang atau menggagalkan tugas latar yang pekerjanya berhenti mendadak."

    def handle(self, *args, **options):
        outcomes = jobs_reap()
        for job, outcome in outcomes:
            self.stdout.write(f"{job.pk} {job.kind}: {'diulang' if outcome == 'retried' else 'digagalkan'}")
        self.stdout.write(f"Tugas terbengkalai: {len(outcomes)}")

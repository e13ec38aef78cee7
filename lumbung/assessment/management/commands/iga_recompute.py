import time

from django.core.management.base import BaseCommand

from lumbung.assessment.scoring import recompute_year, recompute_year_start


class Command(BaseCommand):
    help = "Recompute the index figures of every region's assessment of a year (after a methodology edit)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--worker",
            action="store_true",
            help="Queue the recomputation for the task worker instead of running it here.",
        )

    def handle(self, *args, year, worker, **options):
        if worker:
            job = recompute_year_start(year=year)
            self.stdout.write(f"Penghitungan ulang tahun {year} diantrekan untuk pekerja latar (tugas {job.pk}).")
            return
        start = time.perf_counter()
        count = recompute_year(year=year)
        self.stdout.write(
            f"{count} penilaian tahun {year} dihitung ulang dalam {time.perf_counter() - start:.2f} detik."
        )

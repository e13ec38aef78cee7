import time

from django.core.management.base import BaseCommand

from lumbung.assessment.scoring import recompute_year


class Command(BaseCommand):
    help = "Recompute the index figures of every region's assessment of a year (after a methodology edit)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year, **options):
        start = time.perf_counter()
        count = recompute_year(year=year)
        self.stdout.write(
            f"{count} penilaian tahun {year} dihitung ulang dalam {time.perf_counter() - start:.2f} detik."
        )

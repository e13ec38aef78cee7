from django.core.management.base import BaseCommand, CommandError

from lumbung.core.text import parse_command_date
from lumbung.rankings.services import snapshot_indexes_task, snapshots_take


class Command(BaseCommand):
    help = (
        "Ambil potret angka indeks hari ini untuk setiap pemda yang memakai aplikasi ini (sekali sehari dari "
        "cron; menjalankannya lagi pada hari yang sama mengganti potret hari itu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Tanggal potret (TTTT-BB-HH); bawaan: hari ini.")
        parser.add_argument(
            "--queue", action="store_true", help="Serahkan ke pekerja tugas latar alih-alih menjalankannya di sini."
        )

    def handle(self, *args, date=None, queue=False, **options):
        today = parse_command_date(date)
        if queue:
            if today is not None:
                raise CommandError("--date tidak dapat dipakai bersama --queue (pekerja memotret hari ini).")
            snapshot_indexes_task.enqueue()
            self.stdout.write("Potret indeks diserahkan ke pekerja tugas latar.")
            return
        count = snapshots_take(today=today)
        self.stdout.write(f"Potret indeks diambil untuk {count} pemda.")

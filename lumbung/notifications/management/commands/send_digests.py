from django.core.management.base import BaseCommand

from lumbung.notifications.services import digests_send


class Command(BaseCommand):
    help = "E-mail each person the day's notifications they chose to receive as a digest. Run once a day from cron."

    def handle(self, *args, **options):
        self.stdout.write(f"{digests_send()} ringkasan harian terkirim.")

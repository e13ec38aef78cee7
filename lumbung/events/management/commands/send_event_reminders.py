from datetime import timedelta

from django.core.management.base import BaseCommand

from lumbung.events.services import REMINDER_LEAD, event_reminders_send


class Command(BaseCommand):
    help = (
        "Remind registered participants of events starting within the next day, once per registration. "
        "Safe to run as often as wanted; hourly from cron is enough."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=int(REMINDER_LEAD.total_seconds() // 3600),
            help="Remind participants of events starting within this many hours (default 24).",
        )

    def handle(self, *args, hours, **options):
        reminded, without_account = event_reminders_send(lead=timedelta(hours=hours))
        self.stdout.write(f"{reminded} peserta diingatkan; {without_account} peserta tanpa akun tidak diingatkan.")

from django.core.management.base import BaseCommand

from lumbung.core.text import parse_command_date
from lumbung.notifications.models import Kind
from lumbung.notifications.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Send the scheduled reminders that are due (stage deadlines, planner actions, rows waiting for "
        "verification, clinic action items), each to each person once. Safe to run as often as wanted "
        "and twice at once; every 15 minutes from cron is enough."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD), to catch up or to try.")

    def handle(self, *args, date=None, **options):
        today = parse_command_date(date)
        sent = reminders_send(today=today)
        labels = dict(Kind.choices)
        for kind, count in sorted(sent.items()):
            self.stdout.write(f"{labels.get(kind, kind)}: {count} pengingat terkirim")
        self.stdout.write(f"Jumlah: {sum(sent.values())} pengingat terkirim.")

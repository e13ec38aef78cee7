from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from lumbung.core.models import StagedUpload


class Command(BaseCommand):
    help = "Delete files kept aside for half-finished forms once they are older than --hours (default 48)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=48)

    def handle(self, *args, hours, **options):
        cutoff = timezone.now() - timedelta(hours=hours)
        removed = 0
        for staged in StagedUpload.objects.filter(created_at__lt=cutoff).iterator():
            staged.file.delete(save=False)
            staged.delete()
            removed += 1
        self.stdout.write(f"{removed} unggahan sementara dihapus.")

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the reference data every app ships as files (regions, affairs, index frameworks). Idempotent."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("lumbung."):
                continue
            try:
                module = import_module(f"{config.name}.reference")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.reference":
                    raise
                continue
            with transaction.atomic():
                summary = module.load()
            self.stdout.write(f"{config.verbose_name}: {summary}")

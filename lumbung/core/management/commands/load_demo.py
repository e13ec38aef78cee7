from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from lumbung.core.demo import DEMO_PASSWORD, DEMO_REGION_CODE, Demo
from lumbung.core.roles import Role
from lumbung.organisation.models import Region


def _demo_modules():
    """Each app's demo module, in INSTALLED_APPS order (lumbung.core.demo is the framework)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("lumbung.") or config.name == "lumbung.core":
            continue
        try:
            yield config, import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise


class Command(BaseCommand):
    help = "Load the Kabupaten Lampung Barat demo data (once) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, **options):
        call_command("load_reference_data", verbosity=0, stdout=self.stdout)
        region = Region.objects.get(code=DEMO_REGION_CODE)
        if region.is_hosted and region.units.exists():
            self.stdout.write("Data demo Lampung Barat sudah ada; tidak dimuat ulang.")
        else:
            demo = Demo(region=region)
            with transaction.atomic():
                for config, module in _demo_modules():
                    module.load(demo)
                    self.stdout.write(f"  {config.verbose_name}: dimuat")
        if not options["quiet_logins"]:
            self._print_logins()

    def _print_logins(self):
        logins = [login for _config, module in _demo_modules() for login in getattr(module, "LOGINS", [])]
        labels = [(str(Role(role).label), email, hint) for role, email, hint in logins]
        width = max(len(label) for label, _email, _hint in labels)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Akun demo (kata sandi semua akun: {DEMO_PASSWORD})"))
        for label, email, hint in labels:
            self.stdout.write(f"  {label.ljust(width)}  {email}" + (f"  — {hint}" if hint else ""))

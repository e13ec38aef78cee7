"""manage.py load_demo: the Kabupaten Lampung Barat demo, then Provinsi Lampung and four more of its
regions (organisation.demo_regions), each app adding its part from its own demo.py: `load(demo)` for
Lampung Barat, `load_region(demo)` for the others. Loaded once; a second run only prints the logins.

It lives here, not in core, because it starts from the regions (core must not import organisation).
"""

from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from lumbung.core.demo import DEMO_PASSWORD, DEMO_REGION_CODE, Demo
from lumbung.core.roles import Role
from lumbung.organisation.demo_regions import DEMO_REGIONS
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
    help = "Load the Lampung demo (Lampung Barat in full, the province and four more regions) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, **options):
        call_command("load_reference_data", verbosity=0, stdout=self.stdout)
        region = Region.objects.get(code=DEMO_REGION_CODE)
        modules = list(_demo_modules())
        if region.is_hosted and region.units.exists():
            self.stdout.write("Data demo Lampung Barat sudah ada; tidak dimuat ulang.")
        else:
            demo = Demo(region=region)
            with transaction.atomic():
                for config, module in modules:
                    module.load(demo)
                    self.stdout.write(f"  {config.verbose_name}: dimuat")
            self._load_regions(modules, demo.users["national_admin"])
        if not options["quiet_logins"]:
            self._print_logins(modules)

    def _load_regions(self, modules, national_admin) -> None:
        """The other Lampung regions, each in its own transaction (a fresh Demo per region)."""
        for index, item in enumerate(DEMO_REGIONS):
            region = Region.objects.get(code=item.code)
            if region.is_hosted:
                continue
            demo = Demo(region=region, users={"national_admin": national_admin})
            demo.random.seed(2021 + index)
            with transaction.atomic():
                for _config, module in modules:
                    if hasattr(module, "load_region"):
                        module.load_region(demo)
            self.stdout.write(f"  {item.name}: dimuat")

    def _print_logins(self, modules):
        logins = [login for _config, module in modules for login in getattr(module, "LOGINS", [])]
        labels = [(str(Role(role).label), email, hint) for role, email, hint in logins]
        width = max(len(label) for label, _email, _hint in labels)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Akun demo (kata sandi semua akun: {DEMO_PASSWORD})"))
        for label, email, hint in labels:
            self.stdout.write(f"  {label.ljust(width)}  {email}" + (f"  — {hint}" if hint else ""))

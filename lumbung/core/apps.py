from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "lumbung.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from . import lookups  # noqa: F401 - registers the integer `__in` lookup

        # Each app declares its menu entries and home panels in nav.py.
        autodiscover_modules("nav")
        from .caching import connect_signals

        # Every write to the data of a region bumps its data version (cached pages, core.caching).
        connect_signals()

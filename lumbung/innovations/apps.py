from django.apps import AppConfig


class InnovationsConfig(AppConfig):
    name = "lumbung.innovations"
    label = "innovations"
    verbose_name = "Inovasi"

    def ready(self) -> None:
        # Registers the Excel importer with core.imports, and the programmes' reminder dates
        # with the reminder scheduler.
        from . import imports, reminders  # noqa: F401

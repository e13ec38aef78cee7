from django.apps import AppConfig


class InnovationsConfig(AppConfig):
    name = "lumbung.innovations"
    label = "innovations"
    verbose_name = "Inovasi"

    def ready(self) -> None:
        # Registers the Excel importer with core.imports.
        from . import imports  # noqa: F401

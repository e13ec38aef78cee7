from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "lumbung.organisation"
    label = "organisation"
    verbose_name = "Organisasi"

    def ready(self) -> None:
        from . import importers  # noqa: F401 - registers the Excel importers of units and officials

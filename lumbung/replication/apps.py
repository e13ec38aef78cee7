from django.apps import AppConfig


class ReplicationConfig(AppConfig):
    name = "lumbung.replication"
    label = "replication"
    verbose_name = "Studi tiru dan replikasi"

    def ready(self) -> None:
        # Registers the catalogue importer with core.imports.
        from . import imports  # noqa: F401

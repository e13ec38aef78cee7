from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "lumbung.backups"
    label = "backups"
    verbose_name = "Cadangan data"

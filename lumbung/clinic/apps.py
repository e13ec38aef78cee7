from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "lumbung.clinic"
    label = "clinic"
    verbose_name = "Klinik inovasi"

    def ready(self):
        from . import reminders  # noqa: F401 - registers this app's sources with the reminder scheduler

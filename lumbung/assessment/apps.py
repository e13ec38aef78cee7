from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "lumbung.assessment"
    label = "assessment"
    verbose_name = "Penilaian IGA"

    def ready(self):
        from . import precheck, reminders  # noqa: F401 - reminders registers this app's sources with the scheduler

        precheck.connect_signals()

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "lumbung.assessment"
    label = "assessment"
    verbose_name = "Penilaian IGA"

    def ready(self):
        from . import reminders  # noqa: F401 - registers this app's sources with the reminder scheduler

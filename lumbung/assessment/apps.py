from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "lumbung.assessment"
    label = "assessment"
    verbose_name = "Penilaian IGA"

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "lumbung.actions"
    label = "actions"
    verbose_name = "Tugas"

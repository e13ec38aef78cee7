from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "lumbung.competitions"
    label = "competitions"
    verbose_name = "Lomba inovasi"

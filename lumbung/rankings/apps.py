from django.apps import AppConfig


class RankingsConfig(AppConfig):
    name = "lumbung.rankings"
    label = "rankings"
    verbose_name = "Peringkat pemda"

from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "lumbung.frameworks"
    label = "frameworks"
    verbose_name = "Metodologi indeks"

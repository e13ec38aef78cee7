from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "lumbung.clinic"
    label = "clinic"
    verbose_name = "Klinik inovasi"

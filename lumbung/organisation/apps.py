from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "lumbung.organisation"
    label = "organisation"
    verbose_name = "Organisasi"

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "lumbung.knowledge"
    label = "knowledge"
    verbose_name = "Basis pengetahuan"

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "lumbung.events"
    label = "events"
    verbose_name = "Kegiatan"

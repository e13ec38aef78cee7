from django.apps import AppConfig


class ReplicationConfig(AppConfig):
    name = "lumbung.replication"
    label = "replication"
    verbose_name = "Studi tiru dan replikasi"

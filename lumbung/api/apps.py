from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "lumbung.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Every change written through a token is marked with that token (audit.py).
        from . import audit, schema  # noqa: F401 - schema registers the OpenAPI auth extensions

        audit.connect()

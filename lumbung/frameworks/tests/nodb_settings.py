"""Settings without a usable database, for the test that runs `iga_score` in its own process:
the dummy backend raises on any query, so the command passing proves it never opens one."""

from config.settings.test import *  # noqa: F403

DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}

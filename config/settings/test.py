"""With these settings the suite runs fast and offline."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One cache per test process, emptied before each test, whatever REDIS_URL says (the Redis tests
# make their own clients).
# Stored pages share the default cache's memory: a test that empties the cache to measure a page
# built afresh empties both.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"
AXES_ENABLED = True
# The browser tests share one live server; tiles would be a network call.
LUMBUNG_MAP_TILE_URL = ""

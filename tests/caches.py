"""For tests that measure or inspect a page built afresh."""

from django.conf import settings
from django.core.cache import caches

from lumbung.core.localcache import clear_local_stores


def forget_cached() -> None:
    """Forget every cached value and stored page, in the caches and in this process's own memory
    (core.localcache: pages and signed-in users kept between requests)."""
    for alias in settings.CACHES:
        caches[alias].clear()
    clear_local_stores()

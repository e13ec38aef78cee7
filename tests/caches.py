"""For tests that measure or inspect a page built afresh, or play two web processes."""

from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches

from lumbung.core import localcache
from lumbung.core.localcache import clear_local_stores


def forget_cached() -> None:
    """Forget every cached value and stored page, in the caches and in this process's own memory
    (core.localcache: pages and signed-in users kept between requests)."""
    for alias in settings.CACHES:
        caches[alias].clear()
    clear_local_stores()


@contextmanager
def another_process():
    """Run the block as another web process would: with its own (empty) memory, leaving this
    process's kept sessions, users and pages as they were. What the block writes to the database
    reaches this process only through the versions it bumps."""
    kept = {store: list(store._entries.items()) for store in localcache._stores}
    clear_local_stores()
    try:
        yield
    finally:
        for store, entries in kept.items():
            store.clear()
            for key, value in entries:
                store.set(key, value)

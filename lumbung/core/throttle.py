"""Counting attempts per key in the shared Django cache (so every server process sees the same count
when CACHES points at Redis; with the local-memory default each process counts on its own).

`throttle_hit` increments first and then compares, so two processes racing on the same key cannot
both slip under the limit (cache.add + cache.incr are atomic on Redis and locmem alike). While Redis
is away the counts go on in each process (core.rediscache): a limit then holds per process, never
lifted and never a server error.
"""

import hashlib

from django.core.cache import cache

from .clientaddr import client_address

__all__ = ["client_address", "throttle_blocked", "throttle_count", "throttle_hit", "throttle_key"]


def throttle_key(scope: str, value: str) -> str:
    # Hashed so an e-mail address or any odd character never lands in a cache key verbatim.
    digest = hashlib.sha256(value.strip().lower().encode("utf-8", "replace")).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def throttle_count(key: str) -> int:
    return cache.get(key, 0)


def throttle_blocked(key: str, limit: int) -> bool:
    """True when the key has already used its `limit` attempts."""
    return throttle_count(key) >= limit


def throttle_hit(key: str, *, window: int) -> int:
    """Count one attempt; the window starts at the first attempt. Returns the new count."""
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1

"""Django's Redis cache, with one Redis client object per connection pool instead of one per call,
and every operation surviving Redis being away.

Django's RedisCacheClient makes a new `redis.Redis` for every get and set; building one fills its
table of about 170 response callbacks, which cost more than the round trip itself, and a page
served from the cache reads Redis at least once per request. A `redis.Redis` is safe to share between threads (it borrows connections from its pool),
and after a fork the pool notices the new process and opens its own connections.

While Redis cannot be reached (a warning is logged once when it goes away, with the reason, and an
info line once when an operation succeeds again; per process and per Redis, see `_Outage`):

- a stored value is a miss and a write is skipped, as if the cache were empty: every cached value
  carries a data version kept in the database, so pages go on working, only slower. (Sessions are
  in the database and never read through this cache: accounts.sessions.)
- counters (`add`, `incr`, `decr`: the rate limits of core.throttle and the API) go on in a
  local-memory cache of this process, and reads of a key look there too. A limit then holds per
  process rather than across all of them (N attempts become N per web process), but it never stops
  counting, so a Redis outage does not open the password-reset, invitation-code and check-in forms
  to guessing at full speed. (Sign-in failures are counted by axes in the database.) When Redis is back the counts in Redis are used again; those made meanwhile are not copied.
"""

import logging
import os
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Counters are a few bytes; room enough that culling never drops a live limit during an outage
# (a culled counter would start again from zero).
LOCAL_COUNTERS_MAX = 100_000


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # Pools live as long as this object, so their ids are not reused meanwhile.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        # Django makes one cache object per thread; a LocMemCache shares its store with every other
        # of the same name, so the counters are per process (gunicorn's threads count together).
        local = {key: params[key] for key in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION") if key in params}
        local["OPTIONS"] = {"MAX_ENTRIES": LOCAL_COUNTERS_MAX}
        self._local = LocMemCache(f"lumbung-redis-away:{server}", local)
        self._outage = _Outage.of(server)

    # Each operation that succeeds reads one flag (`self._outage.away`) and nothing more: the lock
    # and the log lines are only reached when Redis goes away or comes back.

    # Values: a miss (or a counter of this process) while away; writes skipped.

    def get(self, key, default=None, version=None):
        try:
            result = super().get(key, default, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            return self._local.get(key, default, version)
        if self._outage.away:
            self._outage.ended()
        return result

    def get_many(self, keys, version=None):
        try:
            result = super().get_many(keys, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            return self._local.get_many(keys, version)
        if self._outage.away:
            self._outage.ended()
        return result

    def has_key(self, key, version=None):
        # Sessions ask it when a new session key is drawn (at every sign-in).
        try:
            result = super().has_key(key, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            return self._local.has_key(key, version)
        if self._outage.away:
            self._outage.ended()
        return result

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            return
        if self._outage.away:
            self._outage.ended()

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            result = super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            return list(data)
        if self._outage.away:
            self._outage.ended()
        return result

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            result = super().touch(key, timeout, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            return self._local.touch(key, timeout, version)
        if self._outage.away:
            self._outage.ended()
        return result

    def delete(self, key, version=None):
        try:
            result = super().delete(key, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            return self._local.delete(key, version)
        if self._outage.away:
            self._outage.ended()
        return result

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            self._local.delete_many(keys, version)
            return
        if self._outage.away:
            self._outage.ended()

    def clear(self):
        try:
            result = super().clear()
        except UNREACHABLE as error:
            self._outage.began(error)
            self._local.clear()
            return False
        if self._outage.away:
            self._outage.ended()
        return result

    # Counters: kept in this process while away (decr and get_or_set go through these).

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            result = super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            return self._local.add(key, value, timeout, version)
        if self._outage.away:
            self._outage.ended()
        return result

    def incr(self, key, delta=1, version=None):
        try:
            result = super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._outage.began(error)
            return self._local.incr(key, delta, version)
        if self._outage.away:
            self._outage.ended()
        return result


class _Outage:
    """Whether one Redis (by its LOCATION) is away, as this process last found it.

    Logged once at each change, not at each cache call: a busy site makes hundreds of calls a second
    and every one of them fails while Redis is away. The flag is read without the lock (a plain
    attribute read); the lock is taken only to change it, and the flag checked again inside, so of
    many threads failing at once exactly one logs. One object per Redis in the process, shared by the
    per-thread cache objects Django makes. A forked child starts afresh (`_forget`): it finds out for
    itself, and never inherits a lock that another thread of its parent held.
    """

    _all: dict[str, "_Outage"] = {}
    _all_lock = threading.Lock()

    def __init__(self):
        self.away = False
        self.since = 0.0
        self._lock = threading.Lock()

    @classmethod
    def of(cls, server: str) -> "_Outage":
        with cls._all_lock:
            return cls._all.setdefault(server, cls())

    def began(self, error) -> None:
        if self.away:
            return
        with self._lock:
            if self.away:
                return
            self.away, self.since = True, time.monotonic()
            # Inside the lock, so the line of an outage is never written after that of its end. The
            # error names the host and port, never the password of the URL.
            logger.warning(
                "Redis cannot be reached (%s): the cache answers as if empty and rate limits count per "
                "process until it is back. Logged once per outage; a line follows when it is back.",
                error,
            )

    def ended(self) -> None:
        with self._lock:
            if not self.away:
                return
            self.away = False
            logger.info(
                "Redis can be reached again after %.0f s: the cache and rate limits use it again.",
                time.monotonic() - self.since,
            )

    @classmethod
    def _forget(cls) -> None:
        cls._all_lock = threading.Lock()
        for outage in cls._all.values():  # the cache objects the child inherited hold these
            outage.away, outage._lock = False, threading.Lock()


os.register_at_fork(after_in_child=_Outage._forget)

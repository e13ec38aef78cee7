"""Django's Redis cache, with one Redis client object per connection pool instead of one per call,
and every operation surviving Redis being away.

Django's RedisCacheClient makes a new `redis.Redis` for every get and set; building one fills its
table of about 170 response callbacks, which cost more than the round trip itself. A signed-in page
served from the cache reads Redis twice (its session and the page), so that was paid twice per
request. A `redis.Redis` is safe to share between threads (it borrows connections from its pool),
and after a fork the pool notices the new process and opens its own connections.

While Redis cannot be reached (each operation logs a warning):

- a stored value is a miss and a write is skipped, as if the cache were empty: every cached value
  carries a data version kept in the database, and sessions are read from the database when the
  cache misses (`cached_db`), so pages go on working, only slower. Stored values are never kept in
  the process instead: a session ended through another process would live on in this one's copy.
- counters (`add`, `incr`, `decr`: the rate limits of core.throttle and the API) go on in a
  local-memory cache of this process, and reads of a key look there too. A limit then holds per
  process rather than across all of them (N attempts become N per web process), but it never stops
  counting, so a Redis outage does not open the password-reset, invitation-code and check-in forms
  to guessing at full speed. (Sign-in failures are counted by axes in the database.) When Redis is back the counts in Redis are used again; those made meanwhile are not copied.
"""

import logging

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

    # Values: a miss (or a counter of this process) while away; writes skipped.

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _away(error)
            return self._local.get(key, default, version)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            _away(error)
            return self._local.get_many(keys, version)

    def has_key(self, key, version=None):
        # Sessions ask it when a new session key is drawn (at every sign-in).
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            _away(error)
            return self._local.has_key(key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _away(error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            _away(error)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            _away(error)
            return self._local.touch(key, timeout, version)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            _away(error)
            return self._local.delete(key, version)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as error:
            _away(error)
            self._local.delete_many(keys, version)

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            _away(error)
            self._local.clear()
            return False

    # Counters: kept in this process while away (decr and get_or_set go through these).

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            _away(error)
            return self._local.add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            _away(error)
            return self._local.incr(key, delta, version)


def _away(error):
    logger.warning(
        "Redis cannot be reached (%s): the cache answers as if empty and rate limits count per process.", error
    )

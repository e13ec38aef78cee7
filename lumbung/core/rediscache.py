"""Django's Redis cache, with one Redis client object per connection pool instead of one per call,
and reads and writes that survive Redis being away.

Django's RedisCacheClient makes a new `redis.Redis` for every get and set; building one fills its
table of about 170 response callbacks, which cost more than the round trip itself. A signed-in page
served from the cache reads Redis twice (its session and the page), so that was paid twice per
request. A `redis.Redis` is safe to share between threads (it borrows connections from its pool),
and after a fork the pool notices the new process and opens its own connections.

While Redis cannot be reached, a read is a miss and a write is skipped (logged as a warning), as if
the cache were empty: every cached value carries a data version kept in the database, and sessions
are read from the database when the cache misses (`cached_db`), so pages go on working, only slower.
Counters (`incr`, the rate limits) still raise: they must not silently stop counting.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


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

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            return _away(error, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            return _away(error, {})

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _away(error, None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            return _away(error, list(data))

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            return _away(error, False)


def _away(error, answer):
    logger.warning("Redis cannot be reached (%s): the cache answers as if empty.", error)
    return answer

"""Django's Redis cache, with one Redis client object per connection pool instead of one per call.

Django's RedisCacheClient makes a new `redis.Redis` for every get and set; building one fills its
table of about 170 response callbacks, which cost more than the round trip itself. A signed-in page
served from the cache reads Redis twice (its session and the page), so that was paid twice per
request. A `redis.Redis` is safe to share between threads (it borrows connections from its pool),
and after a fork the pool notices the new process and opens its own connections.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


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

"""Django's Redis cache, keeping one ``redis.Redis`` client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every cache call.
With redis-py 5 and later (8.1 here), that constructor fills a table of several hundred response callbacks,
which made it the largest single cost of answering a cached page (three to four cache reads per
request; measured in bench/README.md). A ``redis.Redis`` object is thread-safe and holds no
connection of its own (it borrows one from the pool per command), so one per pool is enough;
the pool itself checks the process id and starts afresh after a fork.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # The index is drawn once (reads pick a replica at random): the client and its pool must
        # belong to the same server.
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

"""The production cache backend (cms.cache) against the real Redis: Django's cache API unchanged, one
redis.Redis client per connection pool instead of one per call, and safe across threads."""

import os
import threading
import uuid

import pytest

from cms.cache import ReusingRedisCache

pytestmark = pytest.mark.services


@pytest.fixture
def store():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL")
    cache = ReusingRedisCache(url, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many([f"k{i}" for i in range(200)] + ["counter", "page"])
    cache.close()


def test_the_cache_api_works_and_one_client_serves_every_call(store):
    store.set("page", {"body": "ページ"}, 30)
    assert store.get("page") == {"body": "ページ"}
    assert store.add("page", "other") is False
    store.set_many({"k1": 1, "k2": 2})
    assert store.get_many(["k1", "k2", "k3"]) == {"k1": 1, "k2": 2}
    assert store.incr("k1") == 2
    store.delete("page")
    assert store.get("page") is None

    first = store._cache.get_client("k1")
    assert store._cache.get_client("k2") is first
    assert store._cache.get_client("k1", write=True) is first  # one server: one pool, one client


def test_threads_sharing_the_client_each_read_their_own_values(store):
    errors = []

    def work(n):
        for i in range(20):
            key = f"k{n * 20 + i}"
            store.set(key, (n, i), 30)
            if store.get(key) != (n, i):
                errors.append(key)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_with_replicas_each_client_talks_to_its_own_server():
    """Reads pick a server at random: the client kept for a server uses that server's pool."""
    cache = ReusingRedisCache(
        ["redis://127.0.0.1:6390/0", "redis://127.0.0.1:6391/0", "redis://127.0.0.1:6392/0"], {}
    )
    for _ in range(30):
        cache._cache.get_client("k")
    cache._cache.get_client("k", write=True)
    clients = cache._cache._clients
    assert clients and set(clients) <= {0, 1, 2}
    for index, client in clients.items():
        assert client.connection_pool is cache._cache._pools[index]
        assert client.connection_pool.connection_kwargs["port"] == 6390 + index

"""The sign-in throttle's count lives in Redis, so a lockout recorded by one gunicorn worker holds in
every other: here a second worker is a fresh cache backend and a fresh django-axes handler, with no
memory shared with the first except Redis."""

import os
import uuid

import pytest
import redis
from asgiref.local import Local
from axes.handlers.proxy import AxesProxyHandler

from django.core.cache import caches
from django.test import override_settings

from .conftest import PASSWORD

pytestmark = [pytest.mark.services, pytest.mark.django_db]

LOGIN = "/admin/login/"


@pytest.fixture
def redis_cache():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL")
    prefix = f"test-axes-{uuid.uuid4().hex}"
    cache_settings = {
        "default": {
            "BACKEND": "cms.cache.ReusingRedisCache",  # the production backend
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=cache_settings):
        AxesProxyHandler.get_implementation(force=True)
        yield redis.Redis.from_url(url), prefix
    raw = redis.Redis.from_url(url)
    for key in raw.scan_iter(f"{prefix}:*"):
        raw.delete(key)
    AxesProxyHandler.get_implementation(force=True)


def new_worker():
    """What another gunicorn process has: its own cache connections and its own axes handler."""
    for alias in list(caches):
        caches[alias].close()
    caches._connections = Local(caches.thread_critical)
    AxesProxyHandler.get_implementation(force=True)


def test_a_lockout_recorded_by_one_worker_holds_in_another(client, editor_user, redis_cache):
    raw, prefix = redis_cache
    for _ in range(5):
        client.post(LOGIN, {"username": "sample-editor", "password": "wrong"}, REMOTE_ADDR="192.0.2.44")
    assert list(raw.scan_iter(f"{prefix}:*"))  # the count is in Redis, not in this process

    new_worker()
    response = client.post(
        LOGIN, {"username": "sample-editor", "password": PASSWORD}, REMOTE_ADDR="198.51.100.44"
    )
    assert response.status_code == 429

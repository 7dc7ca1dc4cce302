"""Project-wide pytest set-up: service checks that skip locally and fail under CI."""

import os
import socket
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(url, default_port):
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def missing_services():
    """The services this run is configured to use that do not answer."""
    missing = []
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres") and not _reachable(database_url, 5432):
        missing.append(
            f"PostgreSQL ({urlparse(database_url).hostname}:{urlparse(database_url).port or 5432})"
        )
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url and not _reachable(redis_url, 6379):
        missing.append(f"Redis ({urlparse(redis_url).hostname}:{urlparse(redis_url).port or 6379})")
    return missing


def pytest_collection_modifyitems(config, items):
    missing = missing_services()
    if not missing:
        return
    message = "Service not reachable: " + ", ".join(missing)
    if IN_CI:
        pytest.exit(f"{message}. Under CI=true a test that needs it fails rather than skips.", returncode=1)
    for item in items:
        item.add_marker(pytest.mark.skip(reason=message))

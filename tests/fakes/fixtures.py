"""Pytest fixtures running the fake LINE and FCM servers and pointing the settings at them.

Re-exported by ``tests/conftest.py`` and ``notifications/tests/conftest.py``.
"""

import json

import pytest

from .fcm_server import FakeFcmServer
from .line_server import FakeLineServer

# Generous, so that a loaded machine never times out by accident; a test of timeouts shortens it
# with ``short_line_timeout``.
LINE_TEST_TIMEOUT = (5, 15)


@pytest.fixture
def line_server(settings):
    """A spec-checking fake LINE; the LINE backend is configured to send to it."""
    with FakeLineServer() as server:
        settings.LINE_API_BASE_URL = server.base_url
        settings.LINE_CHANNEL_ACCESS_TOKEN = server.access_token
        settings.NOTIFICATIONS_BACKENDS = {
            **settings.NOTIFICATIONS_BACKENDS,
            "line": {"BACKEND": "notifications.backends.line.LineBackend", "TIMEOUT": LINE_TEST_TIMEOUT},
        }
        yield server


@pytest.fixture
def fcm_server(settings):
    """A fake FCM with its OAuth endpoint; the FCM backend is configured to send to it."""
    with FakeFcmServer() as server:
        settings.FCM_API_BASE_URL = server.base_url
        settings.FCM_CREDENTIALS_JSON = json.dumps(server.credentials())
        settings.NOTIFICATIONS_BACKENDS = {
            **settings.NOTIFICATIONS_BACKENDS,
            "fcm": {"BACKEND": "notifications.backends.fcm.FcmBackend"},
        }
        yield server


@pytest.fixture
def short_line_timeout(line_server, settings):
    """A LINE read timeout shorter than the fake's scripted "timeout" answer."""
    settings.NOTIFICATIONS_BACKENDS = {
        **settings.NOTIFICATIONS_BACKENDS,
        "line": {**settings.NOTIFICATIONS_BACKENDS["line"], "TIMEOUT": (5, 0.5)},
    }
    line_server.timeout_delay = 1.5
    return line_server

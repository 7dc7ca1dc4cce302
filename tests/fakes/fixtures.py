"""Pytest fixtures running the fake LINE and FCM servers and pointing the settings at them.

Re-exported by ``tests/conftest.py`` and ``notifications/tests/conftest.py``.
"""

import json

import pytest

from .fcm_server import FakeFcmServer
from .line_server import FakeLineServer

# Short enough that a scripted timeout does not slow the tests, long enough for a loaded machine.
LINE_TEST_TIMEOUT = (5, 1.0)


@pytest.fixture
def line_server(settings):
    """A spec-checking fake LINE; the LINE backend is configured to send to it."""
    with FakeLineServer(timeout_delay=LINE_TEST_TIMEOUT[1] + 0.5) as server:
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

"""Channel backends, chosen per channel from ``settings.NOTIFICATIONS_BACKENDS`` (like Wagtail's
frontend-cache backends): ``{"line": {"BACKEND": "dotted.path", **params}, "fcm": {...}}``."""

from django.conf import settings
from django.utils.module_loading import import_string


def get_backends():
    """A backend instance per configured channel, read from the settings on every call."""
    backends = {}
    for channel, config in settings.NOTIFICATIONS_BACKENDS.items():
        params = dict(config)
        backend_class = import_string(params.pop("BACKEND"))
        backends[channel] = backend_class(channel=channel, **params)
    return backends

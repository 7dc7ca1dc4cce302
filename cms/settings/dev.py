"""Development settings: SQLite, a filesystem broker and console email. Nothing to install."""

import os

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, VAR_DIR

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-oyako-hub")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# kombu's filesystem transport: a broker that needs no server; ours writes each message atomically.
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT = "cms.kombu_filesystem:Transport"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(VAR_DIR / "broker" / "out"),
    "data_folder_out": str(VAR_DIR / "broker" / "out"),
    "processed_folder": str(VAR_DIR / "broker" / "processed"),
    "store_processed": False,
    "control_folder": str(VAR_DIR / "broker" / "control"),
    # Reliability: poll every 0.1 s instead of once a second, so a burst of follows drains quickly.
    "polling_interval": 0.1,
}
# A file cache shared by the dev server and the worker: the outbound rate budget (reliability) and
# the page cache, which a publish in the worker must clear.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

# Demo users are created only where this is set (never under production settings).
DEMO_USERS_ALLOWED = True

# Security: the development demo and the tests sign in without two-step verification (the login page
# says so); tests that check it turn it on with override_settings.
OYAKO_2FA_REQUIRED_GROUPS = []
# One process here, so django-axes may count failures in the default per-process cache; production
# uses Redis, where its check (axes.W001) holds.
SILENCED_SYSTEM_CHECKS = ["axes.W001"]

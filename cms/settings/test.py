"""Test settings: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_USERS_ALLOWED = True
WAGTAILADMIN_BASE_URL = "http://testserver"

# Security: the development demo and the tests sign in without two-step verification (the login page
# says so); tests that check it turn it on with override_settings.
OYAKO_2FA_REQUIRED_GROUPS = []
# One process here, so django-axes may count failures in the default per-process cache; production
# uses Redis, where its check (axes.W001) holds.
SILENCED_SYSTEM_CHECKS = ["axes.W001"]
# Tests travel in time with a signed-in client; the idle sign-out is tested with its own setting.
OYAKO_ADMIN_IDLE_TIMEOUT = None
# Page cache: local memory, emptied before every test (the root conftest.py), so no test sees a page
# cached by another.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}

# Measurement: pushes and bot replies keep their plain addresses unless a test turns the redirect on
# (measurement/tests do, through their ``tracked_links`` fixture).
MEASUREMENT_TRACKED_LINKS = False

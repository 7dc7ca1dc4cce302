"""Production settings: every secret and service address comes from the environment.

Importing this module without them raises ImproperlyConfigured, so a misconfigured
process refuses to start rather than running on a development default.
"""

import os

import dj_database_url

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import STORAGES


def require_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in require_env("ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
]

_database_url = require_env("DATABASE_URL")
if not _database_url.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=600, conn_health_checks=True)}

CELERY_BROKER_URL = require_env("CELERY_BROKER_URL")
if not CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CELERY_BROKER_URL must point at Redis in production.")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

CACHES = {
    "default": {
        # Django's RedisCache, keeping its redis.Redis client (see cms/cache.py).
        "BACKEND": "cms.cache.ReusingRedisCache",
        "LOCATION": os.environ.get("CACHE_URL", CELERY_BROKER_URL),
    }
}

# The push channels: without them base settings fall back to the recording backend, which in
# production would silently send nothing.
require_env("LINE_CHANNEL_SECRET")
require_env("LINE_CHANNEL_ACCESS_TOKEN")
require_env("APP_API_KEY")
if not (os.environ.get("FCM_CREDENTIALS_FILE") or os.environ.get("FCM_CREDENTIALS_JSON")):
    raise ImproperlyConfigured("Set FCM_CREDENTIALS_FILE or FCM_CREDENTIALS_JSON in production.")

WAGTAILADMIN_BASE_URL = require_env("WAGTAILADMIN_BASE_URL")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Mail leaves through a Celery task after commit, never inside a request or a transaction.
EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
QUEUED_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").lower() == "true"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Security: the reverse proxies in front of gunicorn, for the sign-in throttle's per-address count.
OYAKO_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's preview panel shows the page in a same-origin iframe, so DENY would break editing.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

DEMO_USERS_ALLOWED = False

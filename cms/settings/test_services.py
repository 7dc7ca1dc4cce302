"""Settings for a Celery worker started by the services tests: the test run's PostgreSQL test
database (named by the test) and Redis as the broker. The three queues (pushes, webhook,
housekeeping) are the test's own: every broker key starts with the test's prefix."""

import os

import dj_database_url

from .test import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
DATABASES["default"]["NAME"] = os.environ.get("SERVICES_DATABASE_NAME", DATABASES["default"]["NAME"])
CELERY_BROKER_URL = os.environ["REDIS_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": os.environ.get("SERVICES_QUEUE", "services") + ":"}

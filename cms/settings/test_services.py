"""Settings for a Celery worker started by the services tests: the test run's PostgreSQL test
database (named by the test) and Redis as the broker, on a queue of the test's own."""

import os

import dj_database_url

from .test import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
DATABASES["default"]["NAME"] = os.environ.get("SERVICES_DATABASE_NAME", DATABASES["default"]["NAME"])
CELERY_BROKER_URL = os.environ["REDIS_URL"]
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("SERVICES_QUEUE", "celery")

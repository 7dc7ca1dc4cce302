"""Beat jobs: LINE's insight figures (daily), the 30-day purge of raw queries, and the quarterly
report's generation (queued by the admin view, never run in the request)."""

import logging
import random

from celery import shared_task

from django.conf import settings
from django.utils import timezone

from .models import RAW_QUERY_RETENTION, NotFoundQuery

logger = logging.getLogger(__name__)
LINE_BACKEND = "notifications.backends.line.LineBackend"


def _backoff(retries):
    """Exponential backoff with full jitter: 1 min, 2 min, 4 min… capped at an hour."""
    return random.uniform(0, min(3600, 60 * 2**retries))


def line_configured():
    return settings.NOTIFICATIONS_BACKENDS.get("line", {}).get("BACKEND") == LINE_BACKEND


@shared_task(bind=True, max_retries=6)
def read_line_insight(self):
    """Read each recent notification's unit figures and the missing follower days.

    Idempotent: every figure is kept with update-or-create, so a retry or a second run changes
    nothing but the figures LINE has updated. LINE answering 429 or 5xx retries the whole task
    with backoff; what was read before stays.
    """
    from . import insight, units

    if not line_configured():
        return {"units": 0, "days": 0}
    api_client, api = insight.client()
    today = insight.today_in_japan()
    read_units = read_days = 0
    try:
        for day in insight.follower_days_to_read(today):
            insight.read_followers(api, day)
            read_days += 1
        for unit in units.units_to_read(today):
            if insight.read_unit(api, unit, today) is not None:
                read_units += 1
    except insight.Transient as error:
        logger.info("LINE insight will be read again: %s", error)
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
    finally:
        api_client.close()
    return {"units": read_units, "days": read_days}


@shared_task
def purge_raw_queries():
    """Erase the masked text of queries older than 30 days; their topic stays for the counts."""
    cutoff = timezone.now() - RAW_QUERY_RETENTION
    return NotFoundQuery.objects.filter(asked_at__lt=cutoff).exclude(text="").update(text="")


@shared_task(bind=True, max_retries=2, acks_late=True)
def generate_quarterly_report(self, report_pk):
    """Render one :class:`QuarterlyReport` (HTML, PDF, Excel), saying how far it has got."""
    from .report import generate

    generate(report_pk)

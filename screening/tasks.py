"""The self-check's housekeeping: end checks left half-way (their answers deleted with them)."""

import logging

from celery import shared_task

from . import flow

logger = logging.getLogger(__name__)


@shared_task
def expire_checks():
    """End every check idle for longer than the expiry; run by the beat every few minutes."""
    count = flow.expire_stale()
    if count:
        logger.info("Ended %d self-checks left half-way", count)
    return count

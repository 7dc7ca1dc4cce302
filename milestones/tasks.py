"""Celery tasks: the beat task that hands due timed messages to the push pipeline, and housekeeping."""

import logging

from celery import shared_task

from .services import dispatch_due_messages, purge_receipts

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def send_due_messages():
    """Run by beat every minute: most runs find nothing due; each message runs at most once a day."""
    dispatches = dispatch_due_messages()
    if dispatches:
        logger.info("Timed message runs: %s", len(dispatches))
    return len(dispatches)


@shared_task(ignore_result=True)
def purge_old_receipts():
    """Forget which family got which message once it can no longer matter (the retention setting)."""
    return purge_receipts()

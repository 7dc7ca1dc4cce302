"""Checks: the webhook's event window must close before the records that make an event apply once
and in order are purged, or a validly signed event replayed in between would apply again."""

import datetime

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def check_webhook_max_event_age(app_configs, **kwargs):
    from .tasks import WEBHOOK_EVENT_RETENTION_DAYS

    age = settings.NOTIFICATIONS_WEBHOOK_MAX_EVENT_AGE
    retentions = {
        "NOTIFICATIONS_EVENT_CLOCK_RETENTION": settings.NOTIFICATIONS_EVENT_CLOCK_RETENTION,
        "the webhook event records": datetime.timedelta(days=WEBHOOK_EVENT_RETENTION_DAYS),
    }
    return [
        checks.Error(
            f"NOTIFICATIONS_WEBHOOK_MAX_EVENT_AGE ({age}) is not shorter than {name} ({kept}).",
            hint="A replayed event older than the records would apply again; shorten the event age.",
            id="notifications.E001",
        )
        for name, kept in retentions.items()
        if age >= kept
    ]

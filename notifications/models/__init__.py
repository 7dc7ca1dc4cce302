"""Notification models, one module per concern, re-exported here for Django."""

from .direct import DirectMessage, DirectStatus  # noqa: F401
from .outbox import (  # noqa: F401
    Batch,
    BatchStatus,
    Channel,
    Notification,
    NotificationStatus,
    QuotaReading,
    RecordedMessage,
)
from .subscribers import (  # noqa: F401
    AppDevice,
    AppPlatform,
    LineFollower,
    LineUserClock,
    SubscriberStatus,
    WebhookEvent,
)

"""Notification models, one module per concern, re-exported here for Django."""

from .outbox import Batch, BatchStatus, Channel, Notification, NotificationStatus, RecordedMessage  # noqa: F401
from .subscribers import AppDevice, AppPlatform, LineFollower, SubscriberStatus, WebhookEvent  # noqa: F401

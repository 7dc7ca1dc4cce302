"""Notification models, one module per concern, re-exported here for Django."""

from .subscribers import AppDevice, AppPlatform, LineFollower, SubscriberStatus, WebhookEvent  # noqa: F401

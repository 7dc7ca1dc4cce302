"""Pseudonyms for the timed messages' receipts (plain functions: the data migration uses them too)."""

import hashlib
import hmac

from django.conf import settings


def _secret():
    return (getattr(settings, "MILESTONES_SUBSCRIBER_KEY_SECRET", "") or settings.SECRET_KEY).encode()


def child_key(child_uuid):
    """The receipt key of one child: a message reaches a child once, whoever follows it."""
    return hmac.new(_secret(), f"child:{child_uuid}".encode(), hashlib.sha256).hexdigest()


def subscriber_month_key(channel, identifier, reference_month):
    """The receipt key of one LINE account or app token for one child's month: someone who leaves
    and signs up again with the same month is not sent the same message twice."""
    value = f"{channel}:{identifier}@{reference_month:%Y-%m}"
    return hmac.new(_secret(), value.encode(), hashlib.sha256).hexdigest()

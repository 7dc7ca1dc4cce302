"""Direct messages: one message to one follower that is not a notification (a booking reminder, a
consultation staff member's reply, a self-check follow-up invitation). See notifications.direct."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .outbox import Channel


class DirectStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class DirectMessage(models.Model):
    """One message to one recipient, kept until sent: then its words and the recipient's LINE user
    ID or device are forgotten, leaving what it was, when, and how it ended."""

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    line_user_id = models.CharField(max_length=64, null=True, blank=True)
    device = models.ForeignKey(
        "notifications.AppDevice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who it goes to, as a keyed hash: messages to one recipient are sent in the order recorded.
    recipient_key = models.CharField(max_length=64, db_index=True)
    language = models.CharField(_("language"), max_length=10, default="ja")
    title = models.CharField(max_length=100, blank=True)
    payload = models.JSONField(default=list, blank=True)
    send_check = models.CharField(max_length=200, blank=True)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DirectStatus.choices, default=DirectStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    retry_key = models.UUIDField(default=uuid.uuid4)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    recorded = models.BooleanField(_("recorded, not sent"), default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("direct message")
        verbose_name_plural = _("direct messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "not_before"], name="notif_direct_due")]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

"""The outbox: one Notification per announced source, fanned out into batches of at most 500.

A Notification row is recorded in the transaction that publishes (or schedules) what it announces
and its sending is queued on commit. Each Batch is claimed with a conditional UPDATE and carries a
retry key stored before its first attempt, so that a resend after a crash or an error is recognised
by LINE (409) and a batch accepted once is never sent again.
"""

import uuid

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Batch",
    "BatchStatus",
    "Channel",
    "Notification",
    "NotificationStatus",
    "QuotaReading",
    "RecordedMessage",
]


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    PARTIAL = "partial", _("Partly sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
    # Reliability: sending it would exceed LINE's monthly message quota; an administrator decides.
    HELD = "held", _("Held: over the LINE message quota")
    # What it announces was withdrawn, fell overdue or lost its approval before it went out.
    CANCELLED = "cancelled", _("Cancelled: no longer announceable")


class Channel(models.TextChoices):
    LINE = "line", "LINE"
    FCM = "fcm", _("Handbook app")


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Notification(models.Model):
    """One announcement to families, unique per source (an article revision, a campaign item)."""

    source = models.CharField(_("source"), max_length=255, unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"))
    # The push's own words in other languages, {language code: words}, written by the issuer from
    # the page's approved, up-to-date translations; words taken from the page need none.
    texts = models.JSONField(_("text in other languages"), default=dict, blank=True)
    titles = models.JSONField(_("title in other languages"), default=dict, blank=True)
    # The page whose translations gave those words (a campaign, a message series): checked again
    # when sending, so words from a translation withdrawn since the issue never go out.
    words_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page of the translated words"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    life_stages = models.JSONField(_("life stages"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # An exact audience chosen by the issuer (timed messages: one cohort, minus those already
    # reached), as subscriber primary keys per channel; None means the life-stage audience.
    chosen_recipients = models.JSONField(_("chosen recipients"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    # Why it was skipped when issued, or cancelled before it went out (status says which).
    skip_reason = models.CharField(_("reason skipped"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lateness = models.DurationField(_("lateness"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    planned_at = models.DateTimeField(_("batches planned at"), null=True, blank=True)
    first_accepted_at = models.DateTimeField(
        _("first accepted at"),
        null=True,
        blank=True,
        help_text=_("When the first batch on any channel was accepted: the moment the KPI counts."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Reliability: why a push waits for an administrator (with the quota figures), and their release.
    hold_reason = models.CharField(_("reason held"), max_length=255, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Reliability: how often the sweeper found it stuck and queued it again.
    recoveries = models.PositiveIntegerField(_("recovered by the sweeper"), default=0)
    last_recovered_at = models.DateTimeField(_("last recovered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("push log")
        indexes = [models.Index(fields=["first_accepted_at"], name="notif_first_accepted_idx")]

    def __str__(self):
        return f"{self.title} ({self.source})"

    def recipient_counts(self):
        """Recipients in accepted batches per channel, e.g. ``{"line": 120, "fcm": 30}``."""
        rows = (
            self.batches.filter(status=BatchStatus.ACCEPTED)
            .values("channel")
            .annotate(total=Sum("recipient_count"))
        )
        counts = dict.fromkeys(Channel.values, 0)
        counts.update({row["channel"]: row["total"] or 0 for row in rows})
        return counts

    def batch_summary(self):
        """Batches per status, e.g. ``{"accepted": 3, "failed": 1}``."""
        return dict(self.batches.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))

    @property
    def recorded_only(self):
        """True when every accepted batch went to a recording backend: recorded, not sent."""
        accepted = self.batches.filter(status=BatchStatus.ACCEPTED)
        return accepted.exists() and not accepted.filter(recorded=False).exists()

    @admin.display(description=_("status"))
    def status_label(self):
        """The status as the push log shows it; a recording backend's messages were never sent."""
        if self.status in (NotificationStatus.SENT, NotificationStatus.PARTIAL) and self.recorded_only:
            return _("Recorded, not sent")
        if self.reached_no_family:
            return _("No family in this audience")
        return self.get_status_display()

    @property
    def reached_no_family(self):
        """True when the audience resolved to no family: batches were planned, none was made."""
        return (
            self.status == NotificationStatus.SENT
            and self.planned_at is not None
            and not self.batches.exists()
        )

    @admin.display(description=_("recovery"))
    def recovery_note(self):
        """What the push log says about the sweeper's recoveries of this notification."""
        if not self.recoveries:
            return ""
        return _("Recovered by the sweeper %(count)d times, last at %(moment)s") % {
            "count": self.recoveries,
            "moment": local_moment(self.last_recovered_at),
        }

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self):
        """When it was recorded, as the push log's list shows it (the detail's format)."""
        return local_moment(self.created_at)

    @admin.display(description=_("announces"))
    def announced(self):
        """What the push announces, as people know it: the page's title (or the push's own)."""
        return self.page.title if self.page_id and self.page else self.title

    @admin.display(description=_("recipients"))
    def recipients(self):
        counts = self.recipient_counts()
        return _("LINE %(line)d / app %(app)d") % {"line": counts["line"], "app": counts["fcm"]}

    @admin.display(description=_("audience"))
    def audience_label(self):
        from articles.enums import LifeStage

        if self.chosen_recipients is not None:
            chosen = sum(len(pks) for pks in self.chosen_recipients.values())
            return _("%(count)d chosen families") % {"count": chosen}
        stages = ", ".join(str(LifeStage(code).label) for code in self.life_stages) or _("every life stage")
        languages = ", ".join(self.languages) or _("every language")
        return f"{stages} / {languages}"


def local_moment(value):
    """A moment as people read it, in local time (``TIME_ZONE``) and the language's own formats,
    to the minute: 2026年12月3日 21:05. Blank for no moment."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    return f"{date_format(value, 'DATE_FORMAT')} {time_format(value, 'TIME_FORMAT')}"


def families_by_language(notification):
    """How many families each language reached: rows of (families' language, language sent in,
    families), from the batches a channel accepted."""
    rows = (
        notification.batches.filter(status=BatchStatus.ACCEPTED)
        .values("language", "content_language")
        .annotate(families=models.Sum("recipient_count"))
        .order_by("language", "content_language")
    )
    return list(rows)


class Batch(models.Model):
    """Up to 500 recipients of one notification on one channel, in one language."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="batches")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=16)
    # The language the message went out in: the families' own, or one on its fallback chain.
    content_language = models.CharField(_("sent in"), max_length=16, blank=True)
    index = models.PositiveIntegerField(_("index"))
    # Subscriber primary keys, resolved to LINE user IDs or tokens when sent: an unfollow in
    # between forgets the ID and the batch skips that person.
    recipients = models.JSONField(_("recipients"), default=list)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    retry_key = models.UUIDField(_("retry key"), default=uuid.uuid4, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("next attempt not before"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Which run claimed the batch: one conditional UPDATE claims a group, this finds what it got.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    # Set by the claim holder just before the batch goes to the channel, cleared when its result is
    # recorded: a batch claimed again with this set was sent by a worker that stopped before
    # recording (FCM has no retry key, so such a batch is counted as sent, never sent again).
    handed_over_at = models.DateTimeField(
        _("handed to the channel at"), null=True, blank=True, editable=False
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    recorded = models.BooleanField(_("recorded, not sent"), default=False)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["notification", "channel", "language", "index"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "language", "index"], name="notif_batch_unique"
            )
        ]
        indexes = [models.Index(fields=["status", "claimed_at"], name="notif_batch_status_idx")]

    def __str__(self):
        return f"{self.notification_id} {self.channel}/{self.language}#{self.index}"


class RecordedMessage(models.Model):
    """A message the recording backend kept instead of sending (development without credentials)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="recorded_messages")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient_count = models.PositiveIntegerField(_("recipients"))
    payload = models.JSONField(_("message"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("recorded message")
        verbose_name_plural = _("recorded messages")
        constraints = [models.UniqueConstraint(fields=["batch"], name="notif_recorded_once")]

    def __str__(self):
        return f"{self.channel} ×{self.recipient_count}"


class QuotaReading(models.Model):
    """LINE's monthly message quota and the month's consumption, as last read from the API.

    Read before every push and every hour by the beat, so the KPI panel shows it without calling
    LINE inside a request.
    """

    limit = models.PositiveBigIntegerField(_("monthly limit"), null=True, blank=True)
    used = models.PositiveBigIntegerField(_("used this month"))
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        ordering = ["-read_at", "-pk"]
        get_latest_by = "read_at"
        verbose_name = _("LINE quota reading")
        verbose_name_plural = _("LINE quota readings")

    def __str__(self):
        return f"{self.used}/{self.limit if self.limit is not None else '∞'}"


# Only these statuses can still change.
OPEN_STATUSES = [NotificationStatus.PENDING, NotificationStatus.SENDING]
OPEN_BATCH = Q(status__in=[BatchStatus.PENDING, BatchStatus.SENDING])

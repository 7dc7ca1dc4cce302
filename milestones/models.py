"""Timed messages: a series page whose inline messages go out when a family reaches their month.

A series is a page so that it rides on the articles' physician gate unchanged: its revisions are
drafted, submitted and approved through the same workflow, and :class:`PhysicianApprovedMixin`
refuses to let a revision go live without a physician's approval: every message is written for
parents, so every version is reviewed (no box an editor ticks decides it). The linked article's
approval never stands in for a message's own words. The messages live in the series' revisions;
what the beat task reads is the live revision's (Wagtail writes inline children to their tables
only when a revision is published). Pauses and the record of what went out are kept apart from
the revisions, so that pausing needs no new approval and publishing an older revision changes no
history.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, PageChooserPanel
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from articles.models import SUMMARY_MAX_LENGTH, PhysicianApprovedMixin
from notifications.models.subscribers import add_months

from .enums import DispatchStatus, Moment

DEFAULT_SEND_TIME = datetime.time(19, 0)
MAX_PREGNANCY_MONTHS = 10
MAX_AGE_MONTHS = 72


def send_moment(cohort_month, day_of_month, send_time):
    """When a message goes out in ``cohort_month`` (Asia/Tokyo): its day, or the month's last day."""
    last_day = calendar.monthrange(cohort_month.year, cohort_month.month)[1]
    day = datetime.date(cohort_month.year, cohort_month.month, min(day_of_month, last_day))
    return timezone.make_aware(datetime.datetime.combine(day, send_time), timezone.get_default_timezone())


class MessageSeriesPage(PhysicianApprovedMixin, Page):
    """A series of timed messages, e.g. "from pregnancy to age 3", seen by editors as a timeline.

    Not a page for families: it has no public view; its messages link to articles and pages.
    """

    description = models.TextField(
        _("description"), blank=True, help_text=_("For editors: what the series is for and who it speaks to.")
    )
    physician = models.ForeignKey(
        "articles.Physician",
        verbose_name=_("reviewing physician"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="message_series",
        help_text=_("This physician approves each version: timed messages reach parents only when reviewed."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("physician"),
        InlinePanel("messages", heading=_("Messages"), label=_("Timed message")),
    ]
    promote_panels = []
    search_fields = []

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("timed message series")
        verbose_name_plural = _("timed message series")

    def clean(self):
        super().clean()
        if not self.physician_id:
            raise ValidationError({"physician": _("Choose the physician who reviews this series.")})

    def serve(self, request, *args, **kwargs):
        raise Http404

    def timeline(self):
        """The messages in the order families meet them: pregnancy first, then by age."""
        return sorted(
            self.messages.all(), key=lambda message: (message.timeline_position, message.sort_order or 0)
        )


class TimedMessage(TranslatableMixin, Orderable):
    """A short message that reaches each family in its month of pregnancy or its child's month of age.

    Translatable: a translation of the series carries each message's text in its language (same
    ``translation_key``); only the source series' messages are scheduled.
    """

    page = ParentalKey(MessageSeriesPage, on_delete=models.CASCADE, related_name="messages")
    text = models.CharField(
        _("text"),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=_("Up to 120 characters, shown in the notification."),
    )
    target = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("links to"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "An approved article or any live page. While it is not live, not approved or past its "
            "review date, the message is held."
        ),
    )
    moment = models.CharField(_("moment"), max_length=16, choices=Moment.choices, default=Moment.AGE)
    months = models.PositiveSmallIntegerField(
        _("months"),
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
        help_text=_("For example 3 (three months before the due month) or 5 (the child is five months old)."),
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("In a shorter month, the last day of the month."),
    )
    send_time = models.TimeField(_("time"), default=DEFAULT_SEND_TIME, help_text=_("Asia/Tokyo time."))
    panels = [
        FieldPanel("text"),
        PageChooserPanel("target"),
        FieldRowPanel([FieldPanel("moment"), FieldPanel("months")]),
        FieldRowPanel([FieldPanel("day_of_month"), FieldPanel("send_time")]),
    ]
    # Only the text is translated: the moment kind is a code, and the timing stays the source's.
    override_translatable_fields = [SynchronizedField("moment")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("timed message")
        verbose_name_plural = _("timed messages")

    def __str__(self):
        return f"{self.moment_label()}: {self.text}"

    def clean(self):
        super().clean()
        errors = {}
        if self.moment == Moment.PREGNANCY and self.months is not None and self.months > MAX_PREGNANCY_MONTHS:
            errors["months"] = _(
                "A pregnancy message can be at most %(max)d months before the due month."
            ) % {"max": MAX_PREGNANCY_MONTHS}
        if not self.target_id:
            errors["target"] = _("Choose the article or page this message links to.")
        if errors:
            raise ValidationError(errors)

    @property
    def timeline_position(self):
        """Months from the due month: negative during pregnancy."""
        return -self.months if self.moment == Moment.PREGNANCY else self.months

    def moment_label(self):
        if self.moment == Moment.PREGNANCY:
            if self.months == 0:
                return str(_("In the due month"))
            return str(_("%(months)d months before the due month") % {"months": self.months})
        return str(_("Age %(months)d months") % {"months": self.months})

    def reference_month(self, cohort_month):
        """The due month (pregnancy) or birth month (age) of the families reached in ``cohort_month``."""
        offset = self.months if self.moment == Moment.PREGNANCY else -self.months
        return add_months(cohort_month, offset)

    def send_at(self, cohort_month):
        return send_moment(cohort_month, self.day_of_month, self.send_time)

    @property
    def source_prefix(self):
        return f"timed-message:{self.pk}:"


class Pause(models.Model):
    """A pause of a whole series (no message) or of one message. Outside revisions: takes effect at once."""

    series = models.ForeignKey(MessageSeriesPage, on_delete=models.CASCADE, related_name="pauses")
    message_id = models.BigIntegerField(_("message"), null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paused_at = models.DateTimeField(_("paused at"), default=timezone.now)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["series"], condition=models.Q(message_id__isnull=True), name="milestones_pause_series"
            ),
            models.UniqueConstraint(
                fields=["series", "message_id"],
                condition=models.Q(message_id__isnull=False),
                name="milestones_pause_message",
            ),
        ]

    def __str__(self):
        return f"{self.series_id}:{self.message_id or '*'}"


class CohortDispatch(models.Model):
    """One run of one message for one cohort month on one day: claimed under a unique constraint.

    The first run in a month reaches the cohort; later days reach only those who joined the cohort
    since (late registrants, corrected months) when the setting allows the current month's message.
    """

    series = models.ForeignKey(MessageSeriesPage, on_delete=models.CASCADE, related_name="dispatches")
    message_id = models.BigIntegerField(_("message"))
    cohort_month = models.DateField(_("month"))
    run_on = models.DateField(_("run on"))
    status = models.CharField(_("status"), max_length=16, choices=DispatchStatus.choices)
    hold_reason = models.CharField(_("reason held"), max_length=255, blank=True)
    recipient_count = models.PositiveIntegerField(_("families"), default=0)
    notification_id = models.BigIntegerField(_("notification"), null=True, blank=True)
    lateness = models.DurationField(_("lateness"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("timed message dispatch")
        verbose_name_plural = _("timed message dispatches")
        constraints = [
            models.UniqueConstraint(
                fields=["message_id", "cohort_month", "run_on"], name="milestones_dispatch_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.message_id} {self.cohort_month:%Y-%m} {self.run_on} {self.status}"


class Receipt(models.Model):
    """That one family was handed one message: keyed by a pseudonym that outlives unfollowing.

    ``subscriber_key`` is a keyed hash (HMAC) of the channel and the LINE user ID or app token, so
    the hub can recognise a family that follows again without keeping its ID after an unfollow.
    Nothing else about the family is kept, and rows older than ``MILESTONES_RECEIPT_RETENTION``
    are deleted by the housekeeping task.
    """

    message_id = models.BigIntegerField()
    subscriber_key = models.CharField(max_length=64)
    dispatch = models.ForeignKey(CohortDispatch, on_delete=models.CASCADE, related_name="receipts")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("timed message receipt")
        verbose_name_plural = _("timed message receipts")
        constraints = [
            models.UniqueConstraint(fields=["message_id", "subscriber_key"], name="milestones_receipt_once")
        ]

    def __str__(self):
        return f"{self.message_id} {self.subscriber_key[:6]}…"

"""What the hub measures about its own reach, from rows: never a counter, never who.

- :class:`TrackedLink` and :class:`LinkClick`: the hub's short redirect, one token per
  (notification or bot route, target), and one row per click with its day only.
- :class:`AggregationUnit`: the LINE ``customAggregationUnits`` name a notification was sent
  with, claimed once per notification and counted against LINE's monthly unit limit.
- :class:`InsightReading` and :class:`FollowerReading`: LINE's own figures, as LINE answered them
  (``None`` where LINE hides a figure under 20).
- :class:`NotFoundQuery`: a search or bot question that found nothing, masked; the masked text
  is erased after 30 days, its normalised words (the topic) stay for the monthly counts.
- :class:`ArticleView`: one row per article page served, cached or not, with its day only.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RAW_QUERY_RETENTION = datetime.timedelta(days=30)
TOKEN_BYTES = 6  # 8 URL-safe characters


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


class TrackedLink(models.Model):
    """One short link: a notification's (or a bot route's) link to one target."""

    token = models.CharField(_("token"), max_length=16, unique=True, default=new_token, editable=False)
    notification = models.ForeignKey(
        "notifications.Notification",
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracked_links",
    )
    source = models.CharField(
        _("source"), max_length=64, help_text=_("The notification's source, or bot:<route> for a bot reply.")
    )
    target = models.URLField(_("target"), max_length=1000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="measurement_link_once")]

    def __str__(self):
        return self.token


class LinkClick(models.Model):
    """One click on a tracked link: the link and the moment, nothing about who."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="clicks")
    clicked_at = models.DateTimeField(_("clicked at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("link click")
        verbose_name_plural = _("link clicks")

    def __str__(self):
        return f"{self.link_id} {self.clicked_at:%Y-%m-%d}"


class AggregationUnit(models.Model):
    """The LINE aggregation unit a notification is sent with; ``month`` counts toward LINE's limit."""

    notification = models.OneToOneField(
        "notifications.Notification", on_delete=models.CASCADE, related_name="aggregation_unit"
    )
    name = models.CharField(_("unit name"), max_length=30, unique=True)
    month = models.DateField(_("month (Asia/Tokyo)"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("LINE aggregation unit")
        verbose_name_plural = _("LINE aggregation units")

    def __str__(self):
        return self.name


class InsightReading(models.Model):
    """LINE's figures for one notification's unit, as last read (null: LINE hides it, under 20)."""

    notification = models.OneToOneField(
        "notifications.Notification", on_delete=models.CASCADE, related_name="insight"
    )
    unique_impressions = models.PositiveIntegerField(_("opened (people)"), null=True, blank=True)
    unique_clicks = models.PositiveIntegerField(_("clicked (people)"), null=True, blank=True)
    clicks = models.JSONField(_("clicks per URL"), default=list, blank=True)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    read_at = models.DateTimeField(_("read at"), auto_now=True)

    class Meta:
        verbose_name = _("LINE insight reading")
        verbose_name_plural = _("LINE insight readings")

    def __str__(self):
        return f"{self.notification_id} {self.period_from}–{self.period_to}"


class FollowerReading(models.Model):
    """LINE's follower figures for one day (Asia/Tokyo); ``status`` is LINE's (ready, unready…)."""

    date = models.DateField(_("date"), unique=True)
    status = models.CharField(_("status"), max_length=16)
    followers = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    targeted_reaches = models.PositiveIntegerField(_("targeted reach"), null=True, blank=True)
    blocks = models.PositiveIntegerField(_("blocks"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), auto_now=True)

    class Meta:
        verbose_name = _("LINE follower reading")
        verbose_name_plural = _("LINE follower readings")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date} {self.status}"


class NotFoundSource(models.TextChoices):
    SEARCH = "search", _("Site search")
    BOT = "bot", _("LINE bot")


class NotFoundQuery(models.Model):
    """A query that found nothing. ``text`` is masked before it is kept and erased after 30 days;
    ``topic`` (its normalised content words) is what the monthly counts group by."""

    source = models.CharField(_("source"), max_length=8, choices=NotFoundSource.choices)
    language = models.CharField(_("language"), max_length=16)
    text = models.CharField(_("query (masked)"), max_length=500, blank=True)
    topic = models.CharField(_("topic"), max_length=200, db_index=True)
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("query that found nothing")
        verbose_name_plural = _("queries that found nothing")

    def __str__(self):
        return self.topic


class ArticleView(models.Model):
    """One article page served (from the cache or not): the page and the day, nothing else."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    viewed_on = models.DateField(_("viewed on"), db_index=True)

    class Meta:
        verbose_name = _("article view")
        verbose_name_plural = _("article views")

    def __str__(self):
        return f"{self.page_id} {self.viewed_on}"


class QuarterlyReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class QuarterlyReport(models.Model):
    """One generation of the quarterly report (HTML, PDF, Excel), made by a task."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    language = models.CharField(_("language"), max_length=16, default="ja")
    health = models.BooleanField(_("with health figures"), default=False)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=QuarterlyReportStatus.choices,
        default=QuarterlyReportStatus.PENDING,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    xlsx = models.BinaryField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"FY{self.fiscal_year} Q{self.quarter} ({self.language})"

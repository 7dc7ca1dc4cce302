"""Text consultations: a family's conversation with a service's staff, its messages, the staff's
private notes and hand-overs, the city's list of closing topic codes and its retention period.

What a family and the staff write is health data. Only the service's staff group and the
consultation supervisors read it (``consultations.access``); every opening is audit-logged; it is
never logged; and :func:`consultations.tasks.purge_expired` deletes it after the city's retention
period, leaving only the counts on the conversation row (which the KPI and the report read).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from articles.enums import LifeStage

DEFAULT_RETENTION_DAYS = 365


class FamilyTopic(models.TextChoices):
    """What a family says the conversation is about; the city maps each to a service."""

    CHILD = "child", _("My child's health")
    PREGNANCY = "pregnancy", _("Pregnancy and birth")
    FEELINGS = "feelings", _("Feelings and family")


class Desk(ClusterableModel):
    """How the hub carries one consultation service's text conversations."""

    service = models.OneToOneField(
        "guidance.ConsultationService",
        on_delete=models.CASCADE,
        related_name="desk",
        verbose_name=_("service"),
        help_text=_("The service in Japanese; its staff group answers, its hours say when."),
    )
    first_answer_minutes = models.PositiveSmallIntegerField(
        _("first answer within (minutes)"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("The staff are alerted when a conversation has waited longer for its first answer."),
    )
    active = models.BooleanField(_("takes conversations"), default=True)

    panels = [
        FieldPanel("service"),
        FieldPanel("first_answer_minutes"),
        FieldPanel("active"),
        InlinePanel("topics"),
    ]

    class Meta:
        verbose_name = _("consultation desk")
        verbose_name_plural = _("consultation desks")

    def __str__(self):
        return str(self.service)


class DeskTopic(models.Model):
    desk = ParentalKey(Desk, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("family's topic"), max_length=16, choices=FamilyTopic.choices, unique=True)

    panels = [FieldPanel("topic")]

    class Meta:
        verbose_name = _("topic it answers")
        verbose_name_plural = _("topics it answers")

    def __str__(self):
        return self.get_topic_display()


class CloseCode(models.Model):
    """A topic code from the city's list, chosen when a conversation is closed (the report counts them)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("active"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("closing topic code")
        verbose_name_plural = _("closing topic codes")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


@register_setting(icon="time")
class ConsultationSettings(BaseGenericSetting):
    retention_days = models.PositiveIntegerField(
        _("keep conversation text for (days)"),
        default=DEFAULT_RETENTION_DAYS,
        validators=[MinValueValidator(1)],
        help_text=_("After this many days from closing, messages and notes are deleted; only counts stay."),
    )

    panels = [FieldPanel("retention_days")]

    class Meta:
        verbose_name = _("consultation retention")


class Channel(models.TextChoices):
    LINE = "line", "LINE"
    WEB = "web", _("Browser")


class Status(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CLAIMED = "claimed", _("Taken")
    CLOSED = "closed", _("Closed")


class ClosedBy(models.TextChoices):
    FAMILY = "family", _("Family")
    STAFF = "staff", _("Staff")


OPEN_STATUSES = (Status.WAITING, Status.CLAIMED)


class Conversation(models.Model):
    """One family's consultation with one service, from opening to closing."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        "guidance.ConsultationService", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    topic = models.CharField(_("topic"), max_length=16, choices=FamilyTopic.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=16)
    life_stage = models.CharField(_("life stage"), max_length=32, choices=LifeStage.choices, blank=True)
    # Needed to answer on LINE; forgotten when the text is purged.
    line_user_id = models.CharField(max_length=64, null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    crisis_at = models.DateTimeField(_("crisis message at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    first_answer_at = models.DateTimeField(_("first answer at"), null=True, blank=True)
    wait_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.CharField(_("closed by"), max_length=8, choices=ClosedBy.choices, blank=True)
    close_code = models.ForeignKey(
        CloseCode, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("topic code")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    handovers = models.PositiveSmallIntegerField(_("hand-overs"), default=0)
    family_messages = models.PositiveIntegerField(default=0)
    staff_messages = models.PositiveIntegerField(default=0)
    # The browser link opens once; then the conversation belongs to that browser's session.
    web_link_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    purged_at = models.DateTimeField(_("text deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["service", "status"], name="consult_queue_idx"),
            models.Index(fields=["closed_at"], name="consult_closed_idx"),
        ]
        constraints = [
            # One open conversation per LINE follower: their messages go to it and no other.
            models.UniqueConstraint(
                fields=["line_user_id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="consult_one_open_per_follower",
            )
        ]
        permissions = [("supervise_conversations", "Can read every service's conversations")]

    def __str__(self):
        # Never anything the family wrote: this label goes into the audit log.
        return _("Conversation %(number)s") % {"number": self.pk}

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def waited(self, now=None):
        """How long the family has waited for a first answer (so far, or until it came)."""
        return (self.first_answer_at or now or timezone.now()) - self.opened_at


class Sender(models.TextChoices):
    FAMILY = "family", _("Family")
    STAFF = "staff", _("Staff")


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=8, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=5000)
    crisis = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # LINE's event ID: the same event redelivered or retried is stored once.
    webhook_event_id = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_sender_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Note(models.Model):
    """A staff member's private note: never shown to the family."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class Handover(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="handover_rows")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_service = models.ForeignKey(
        "guidance.ConsultationService", on_delete=models.PROTECT, related_name="+"
    )
    to_service = models.ForeignKey("guidance.ConsultationService", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"


class StaffMember(models.Model):
    """A staff member's duty and, if they registered it, their own LINE for crisis alerts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consult_staff"
    )
    on_duty = models.BooleanField(_("on duty"), default=False)
    line_user_id = models.CharField(_("own LINE user ID"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("consultation staff member")
        verbose_name_plural = _("consultation staff members")

    def __str__(self):
        return str(self.user)


class AlertKind(models.TextChoices):
    CRISIS = "crisis", _("Crisis message")
    OVERDUE = "overdue", _("Waiting too long")


class StaffAlert(models.Model):
    """One alert to a service's staff on duty, recorded once (``key``) and sent by a task."""

    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return self.key

"""Bookable session types, their weekly availability and exceptions, slots and bookings.

A slot is one bookable time of one session type; a booking holds it while it is active (booked,
attended or no-show). Two families can never hold the same slot: a partial unique constraint on the
active booking per slot makes booking one conditional write (see :mod:`bookings.services`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from guidance.models import WEEKDAYS


class Mode(models.TextChoices):
    TEXT = "text", _("Text chat")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")


class Role(models.TextChoices):
    """Who runs a session: a fixed list, so that what a family is sent is words nobody typed."""

    MIDWIFE = "midwife", _("Midwife")
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Public health nurse")
    COUNSELLOR = "counsellor", _("Counsellor")
    DIETITIAN = "dietitian", _("Dietitian")


class SessionType(ClusterableModel):
    """A kind of session a service books: who runs it, how, for how long, and its weekly pattern."""

    service = models.ForeignKey(
        "guidance.ConsultationService",
        on_delete=models.CASCADE,
        related_name="session_types",
        verbose_name=_("service"),
        help_text=_("The service in Japanese; its hours, holidays and staff group apply."),
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("Shown to staff only."))
    role = models.CharField(_("run by"), max_length=12, choices=Role.choices, default=Role.MIDWIFE)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.VIDEO)
    length_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=30)
    days_ahead = models.PositiveSmallIntegerField(
        _("opens days ahead"),
        default=14,
        help_text=_("Families can book this many days ahead, today included."),
    )
    cancel_hours = models.PositiveSmallIntegerField(
        _("cancel until (hours before)"),
        default=3,
        help_text=_("Families can cancel or move a booking until this many hours before it starts."),
    )
    active = models.BooleanField(_("open for booking"), default=True)

    panels = [
        FieldPanel("service"),
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("mode"),
        FieldPanel("length_minutes"),
        MultiFieldPanel([FieldPanel("days_ahead"), FieldPanel("cancel_hours")], heading=_("Booking window")),
        FieldPanel("active"),
        InlinePanel("weekly", label=_("Weekly availability (Asia/Tokyo)")),
        InlinePanel("exceptions", label=_("Exceptions")),
    ]

    class Meta:
        verbose_name = _("session type")
        verbose_name_plural = _("session types")
        ordering = ["service", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.get_mode_display()})"

    @property
    def described(self):
        """Fixed words for families: who runs it and how ("Midwife · Video call")."""
        return f"{self.get_role_display()} · {self.get_mode_display()}"


class WeeklyAvailability(Orderable):
    session_type = ParentalKey(SessionType, on_delete=models.CASCADE, related_name="weekly")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    panels = [FieldPanel("weekday"), FieldPanel("starts"), FieldPanel("ends")]

    class Meta(Orderable.Meta):
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class AvailabilityException(Orderable):
    """A day that differs from the weekly pattern: closed, or open at other times."""

    session_type = ParentalKey(SessionType, on_delete=models.CASCADE, related_name="exceptions")
    day = models.DateField(_("day"))
    starts = models.TimeField(_("from"), null=True, blank=True, help_text=_("Empty: no sessions that day."))
    ends = models.TimeField(_("until"), null=True, blank=True)

    panels = [FieldPanel("day"), FieldPanel("starts"), FieldPanel("ends")]

    class Meta(Orderable.Meta):
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")

    def __str__(self):
        if self.starts and self.ends:
            return f"{self.day} {self.starts:%H:%M}–{self.ends:%H:%M}"
        return f"{self.day} —"


class SlotStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CANCELLED = "cancelled", _("Cancelled by the service")


class Slot(models.Model):
    session_type = models.ForeignKey(SessionType, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=10, choices=SlotStatus.choices, default=SlotStatus.OPEN)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session_type", "starts_at"], name="bookings_one_slot_per_time"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="bookings_slot_ends_after"
            ),
        ]

    def __str__(self):
        from .times import label

        return f"{self.session_type.name} {label(self.starts_at)}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled by the family")
    SERVICE_CANCELLED = "service_cancelled", _("Cancelled by the service")


ACTIVE = [BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW]


class Channel(models.TextChoices):
    LINE = "line", _("LINE")
    SITE = "site", _("Website")


def new_number():
    """A booking number staff and family can read out: 8 characters without 0/O or 1/I."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Booking(models.Model):
    """One family's hold on a slot. It keeps how to reach the family and, if they chose to give
    them, a few words for the staff; nothing else about them."""

    number = models.CharField(_("booking number"), max_length=12, unique=True, default=new_number)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    channel = models.CharField(_("booked through"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=12, default="ja")
    line_user_id = models.CharField(max_length=64, blank=True, editable=False)
    contact = models.CharField(_("contact (e-mail or phone)"), max_length=120, blank=True)
    note = models.CharField(_("what it is about"), max_length=200, blank=True)
    webhook_event_id = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status__in=ACTIVE), name="bookings_one_active_booking_per_slot"
            ),
        ]
        permissions = [
            ("see_every_service", _("Can see every service's bookings (granted, never implied)")),
        ]

    def __str__(self):
        return self.number

    @property
    def active(self):
        return self.status in ACTIVE


def new_nonce():
    return secrets.token_urlsafe(16)


class BookingLink(models.Model):
    """A single-use link from LINE to the mobile booking page: the URL carries a signed nonce only,
    never the follower's LINE user ID."""

    nonce = models.CharField(max_length=32, unique=True, default=new_nonce)
    session_type = models.ForeignKey(SessionType, on_delete=models.CASCADE, related_name="+")
    line_user_id = models.CharField(max_length=64, editable=False)
    language = models.CharField(max_length=12, default="ja")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"link {self.pk}"


class CalendarFeed(models.Model):
    """A staff member's secret iCalendar feed address; resetting it makes the old one stop working."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)

    def __str__(self):
        return f"feed of user {self.user_id}"

    @classmethod
    def for_user(cls, user, reset=False):
        feed, created = cls.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
        if reset and not created:
            feed.token = secrets.token_urlsafe(32)
            feed.save(update_fields=["token"])
        return feed

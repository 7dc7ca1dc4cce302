"""Subscribers: LINE followers and handbook-app devices, with the life stage they are in.

A subscriber's life stage is derived from a due month or a child's birth month, so it advances by
itself; an explicitly chosen stage is the fallback when no month is known. The audience query
turns the stage boundaries into date ranges so that it runs in the database for 100,000 rows.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.enums import LifeStage

__all__ = [
    "AppDevice",
    "AppPlatform",
    "LineFollower",
    "LineUserClock",
    "SubscriberStatus",
    "WebhookEvent",
    "add_months",
    "mask",
    "month_start",
    "stage_for_months",
    "stage_q",
]

# Months before the due month at which a pregnancy moves to the next stage: 16 weeks is about
# six months before the due date, 28 weeks about three.
PREGNANCY_MID_MONTHS_BEFORE_DUE = 6
PREGNANCY_LATE_MONTHS_BEFORE_DUE = 3
# Child's age in whole months (birth month = 0): [first, last] for each stage after birth.
POSTNATAL_STAGES = [
    (LifeStage.POSTPARTUM, 0, 1),
    (LifeStage.AGE_0_1, 2, 11),
    (LifeStage.AGE_1_3, 12, 35),
    (LifeStage.AGE_3_6, 36, 71),
]


def mask(value):
    """An identifier shortened for logs and the admin: its first four characters and an ellipsis."""
    if not value:
        return "-"
    return f"{value[:4]}…"


def month_start(day):
    """The first day of the month of ``day``."""
    return day.replace(day=1)


def add_months(day, months):
    """The first day of the month ``months`` after the month of ``day`` (negative goes back)."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _months_between(earlier, later):
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def stage_for_months(*, due_month=None, birth_month=None, today):
    """The life stage on ``today`` for a due month or a birth month, or None when past 6 years.

    A due month that has passed without a recorded birth counts as the birth month.
    """
    if birth_month is None and due_month is not None:
        months_to_due = _months_between(today, due_month)
        if months_to_due >= PREGNANCY_MID_MONTHS_BEFORE_DUE:
            return LifeStage.PREGNANCY_EARLY
        if months_to_due >= PREGNANCY_LATE_MONTHS_BEFORE_DUE:
            return LifeStage.PREGNANCY_MID
        if months_to_due >= 0:
            return LifeStage.PREGNANCY_LATE
        birth_month = due_month
    if birth_month is None:
        return None
    age = _months_between(birth_month, today)
    for stage, first, last in POSTNATAL_STAGES:
        if first <= age <= last:
            return stage
    # A birth month in the future is an input error caught by validation; treat it as newborn.
    return LifeStage.POSTPARTUM if age < 0 else None


def stage_q(stage, today, explicit=True):
    """A filter matching rows whose current stage is ``stage`` on ``today``, as date ranges.

    Works on any model with ``due_month`` and ``birth_month`` (a household's children too); with
    ``explicit`` the rows' chosen ``life_stage`` counts where they have no month.
    """
    this_month = month_start(today)
    no_months = Q(due_month__isnull=True, birth_month__isnull=True)
    explicit = no_months & Q(life_stage=stage) if explicit else Q(pk__in=[])
    pregnancy = {
        LifeStage.PREGNANCY_EARLY: (PREGNANCY_MID_MONTHS_BEFORE_DUE, None),
        LifeStage.PREGNANCY_MID: (PREGNANCY_LATE_MONTHS_BEFORE_DUE, PREGNANCY_MID_MONTHS_BEFORE_DUE - 1),
        LifeStage.PREGNANCY_LATE: (0, PREGNANCY_LATE_MONTHS_BEFORE_DUE - 1),
    }
    if stage in pregnancy:
        first, last = pregnancy[stage]
        due = Q(birth_month__isnull=True, due_month__gte=add_months(this_month, first))
        if last is not None:
            due &= Q(due_month__lte=add_months(this_month, last))
        return explicit | due
    for postnatal_stage, first, last in POSTNATAL_STAGES:
        if postnatal_stage == stage:
            oldest, youngest = add_months(this_month, -last), add_months(this_month, -first)
            born = Q(birth_month__gte=oldest, birth_month__lte=youngest)
            if stage == LifeStage.POSTPARTUM:
                # Births recorded in a future month are treated as newborn, as in stage_for_months.
                born = Q(birth_month__gte=oldest)
            # A passed due month stands in for the birth month; this month's due date is still late
            # pregnancy, hence the upper bound of last month.
            passed_due = Q(
                birth_month__isnull=True,
                due_month__gte=oldest,
                due_month__lte=min(youngest, add_months(this_month, -1)),
            )
            return explicit | born | passed_due
    raise ValueError(f"Unknown life stage: {stage}")


class SubscriberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=SubscriberStatus.ACTIVE).exclude(**{f"{self.model.ID_FIELD}__isnull": True})

    def in_life_stages(self, life_stages, today=None):
        """Subscribers whose current stage is one of ``life_stages``, or who have not chosen one.

        Args:
            life_stages: LifeStage codes; empty or None means every stage (no filter).
            today: the reference date (defaults to today in Asia/Tokyo).
        """
        if not life_stages:
            return self
        today = today or timezone.localdate()
        condition = Q(stage_chosen=False)
        for stage in life_stages:
            condition |= stage_q(LifeStage(stage), today)
        from ..family import provider

        if (family := provider()) is not None:
            # One row per subscriber however many of its children the stages concern.
            condition |= family.stage_condition(self.model, life_stages, today)
        return self.filter(condition)

    def audience(self, life_stages=None, languages=None, today=None):
        """Active subscribers who should receive a notification for these stages and languages.

        Args:
            life_stages: LifeStage codes the notification concerns; empty or None means everyone.
                Subscribers who have not chosen a stage receive every notification.
            languages: language codes; empty or None means every language.
            today: the reference date for derived stages (defaults to today in Asia/Tokyo).

        Returns:
            A queryset of active subscribers with an identifier to send to.
        """
        queryset = self.active().in_life_stages(life_stages, today=today)
        if languages:
            queryset = queryset.filter(language__in=languages)
        return queryset

    def recipient_chunks(self, chunk_size=500):
        """Yield lists of ``(pk, identifier, language)`` ordered by pk, one query per chunk.

        Keyset pagination keeps each query cheap for 100,000 rows and memory bounded by a chunk.
        """
        last_pk = 0
        while True:
            chunk = list(
                self.filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", self.model.ID_FIELD, "language")[:chunk_size]
            )
            if not chunk:
                return
            yield chunk
            last_pk = chunk[-1][0]


class AppDeviceQuerySet(SubscriberQuerySet):
    def deactivate_tokens(self, tokens):
        """Deactivate the devices FCM reported as unregistered, forgetting their tokens.

        Returns:
            The number of devices deactivated.
        """
        tokens = [token for token in tokens if token]
        if not tokens:
            return 0
        now = timezone.now()
        return self.filter(token__in=tokens).update(
            status=SubscriberStatus.INACTIVE, token=None, deactivated_at=now, updated_at=now
        )


class LifeStageBasis(models.Model):
    """What a subscriber's life stage and language are derived from."""

    life_stage = models.CharField(
        _("chosen life stage"),
        max_length=32,
        choices=LifeStage.choices,
        blank=True,
        help_text=_("Used only when neither a due month nor a birth month is known."),
    )
    due_month = models.DateField(_("due month"), null=True, blank=True)
    birth_month = models.DateField(_("child's birth month"), null=True, blank=True)
    stage_chosen = models.BooleanField(
        _("life stage chosen"),
        default=False,
        help_text=_("Until a stage is chosen, the subscriber receives notifications for every stage."),
    )
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SubscriberStatus.choices, default=SubscriberStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def current_life_stage(self, today=None):
        """The life stage on ``today``: derived from a month if known, else the chosen one, or None."""
        today = today or timezone.localdate()
        if self.due_month or self.birth_month:
            return stage_for_months(due_month=self.due_month, birth_month=self.birth_month, today=today)
        return LifeStage(self.life_stage) if self.life_stage else None

    def current_life_stages(self, today=None):
        """Every stage the subscriber's notifications concern now: its household's children's
        (see :mod:`notifications.family`) and its own month's or chosen stage."""
        from ..family import provider

        today = today or timezone.localdate()
        stages = []
        if (family := provider()) is not None and self.pk:
            stages = list(family.life_stages(self, today))
        own = self.current_life_stage(today)
        if own is not None and own not in stages:
            stages.append(own)
        return stages

    @admin.display(description=_("life stage now"))
    def life_stage_now(self):
        stages = self.current_life_stages()
        if len(stages) > 1:
            return ", ".join(str(stage.label) for stage in stages)
        stage = stages[0] if stages else None
        if stage is None:
            return _("every stage (not chosen)") if not self.stage_chosen else _("none (child over 6)")
        return stage.label

    def set_life_stage(self, *, life_stage=None, due_month=None, birth_month=None):
        """Replace the life-stage basis with one of a stage, a due month or a birth month."""
        self.life_stage = life_stage or ""
        self.due_month = month_start(due_month) if due_month else None
        self.birth_month = month_start(birth_month) if birth_month else None
        self.stage_chosen = bool(life_stage or due_month or birth_month)

    def clear_personal_data(self):
        self.set_life_stage()


class LineFollower(LifeStageBasis):
    """Someone who follows the LINE official account. Unfollowing forgets their LINE user ID."""

    ID_FIELD = "line_user_id"

    line_user_id = models.CharField(_("LINE user ID"), max_length=64, unique=True, null=True, blank=True)
    language_chosen = models.BooleanField(
        _("language chosen"),
        default=False,
        help_text=_("A language chosen by the follower is never overwritten by their LINE profile."),
    )
    followed_at = models.DateTimeField(_("followed at"), null=True, blank=True)
    unfollowed_at = models.DateTimeField(_("unfollowed at"), null=True, blank=True)
    profile_fetched_at = models.DateTimeField(_("profile fetched at"), null=True, blank=True)
    # LINE may deliver events out of order; the newest event time applied so far guards against
    # an old follow undoing a newer unfollow and vice versa.
    last_event_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("LINE follower")
        verbose_name_plural = _("LINE followers")
        indexes = [models.Index(fields=["status", "stage_chosen"], name="notif_follower_status_idx")]

    def __str__(self):
        return _("LINE follower %(id)s") % {"id": mask(self.line_user_id)}

    @admin.display(description=_("LINE user ID"))
    def masked_id(self):
        return mask(self.line_user_id)


class AppPlatform(models.TextChoices):
    IOS = "ios", "iOS"
    ANDROID = "android", "Android"
    WEB = "web", _("Web")


class AppDevice(LifeStageBasis):
    """A handbook-app installation registered for push notifications through FCM."""

    ID_FIELD = "token"

    token = models.CharField(_("FCM token"), max_length=512, unique=True, null=True, blank=True)
    platform = models.CharField(_("platform"), max_length=16, choices=AppPlatform.choices)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    objects = AppDeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("app device")
        verbose_name_plural = _("app devices")
        indexes = [models.Index(fields=["status", "stage_chosen"], name="notif_device_status_idx")]

    def __str__(self):
        return _("App device %(id)s") % {"id": mask(self.token)}

    @admin.display(description=_("FCM token"))
    def masked_id(self):
        return mask(self.token)


class WebhookEvent(models.Model):
    """A LINE webhook event already handled, so that a redelivery changes nothing twice.

    Holds no user ID: only LINE's event ID, the event type and when it was handled.
    """

    webhook_event_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=32)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LINE webhook event")
        verbose_name_plural = _("LINE webhook events")

    def __str__(self):
        return f"{self.event_type} {self.webhook_event_id}"


class LineUserClock(models.Model):
    """When a LINE user last followed or unfollowed, so that events take effect in timestamp order.

    Holds no user ID: only a keyed hash of it (HMAC-SHA256 with a server secret), kept for
    NOTIFICATIONS_EVENT_CLOCK_RETENTION. An unfollow handled before a stale follow leaves this row,
    and the stale follow, older than it, changes nothing.
    """

    user_key = models.CharField(max_length=64, unique=True)
    last_event_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("LINE user event clock")
        verbose_name_plural = _("LINE user event clocks")

    def __str__(self):
        return f"{self.user_key[:8]}… {self.last_event_at}"

    @staticmethod
    def key_for(user_id):
        """The keyed hash of a LINE user ID; without the key nobody can test a guessed ID."""
        secret = (settings.NOTIFICATIONS_EVENT_CLOCK_KEY or settings.SECRET_KEY).encode()
        return hmac.new(secret, user_id.encode(), hashlib.sha256).hexdigest()

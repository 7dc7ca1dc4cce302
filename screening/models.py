"""The self-check (PHQ-9): the instrument as reviewed words per language, the score bands the
psychiatrist sets, the open sessions, and the little that is kept afterwards.

What is kept, and for how long:

- :class:`CheckSession`: one open check, its answers so far, keyed by a keyed hash of the follower
  (never the LINE user ID). Deleted the moment the check ends, expires or is stopped.
- :class:`CheckRecord`: one anonymous row per check begun (month, channel, how it ended, the band
  and the service it was routed to), for the bot report. It names nobody.
- :class:`KeptResult`: for a family that consented only: the keyed hash, the date, the band and
  the total, for the follow-up invitation and the PHQ-9 KPI. Withdrawing consent deletes it.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)

from guidance.review import ReviewedWordsMixin

ITEMS = 9
OPTIONS = 4
MAX_TOTAL = ITEMS * (OPTIONS - 1)  # 27
SUICIDE_ITEM = 9


def new_token():
    return secrets.token_urlsafe(9)


class Level(models.IntegerChoices):
    """The four bands, lowest first. Parents never see these names: only the words and the help
    routed to their band."""

    ONE = 1, _("Band 1 (lowest)")
    TWO = 2, _("Band 2")
    THREE = 3, _("Band 3")
    FOUR = 4, _("Band 4 (highest)")


class Instrument(
    ReviewedWordsMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    models.Model,
):
    """The PHQ-9 in one language: what it is, the nine items, the four answers and the closing words
    per band. Only a revision the psychiatrist (a physician, never its author) approved in the
    Medical review workflow is ever asked (:func:`screening.flow.instrument_for`)."""

    physician_only = True

    title = models.CharField(_("title"), max_length=100, help_text=_("For the admin, e.g. PHQ-9 (Japanese)."))
    intro = models.TextField(
        _("what it is"),
        max_length=1200,
        help_text=_(
            "Shown first: a screening, not a diagnosis; who sees what; that they can stop at any time."
        ),
    )
    consent = models.TextField(
        _("consent question"),
        max_length=600,
        help_text=_("Asks whether the result may be kept (for a follow-up invitation) before any answer."),
    )
    stem = models.CharField(
        _("question stem"),
        max_length=200,
        help_text=_("For example: Over the last 2 weeks, how often have you been bothered by …"),
    )
    item_1 = models.CharField(_("item 1"), max_length=200)
    item_2 = models.CharField(_("item 2"), max_length=200)
    item_3 = models.CharField(_("item 3"), max_length=200)
    item_4 = models.CharField(_("item 4"), max_length=200)
    item_5 = models.CharField(_("item 5"), max_length=200)
    item_6 = models.CharField(_("item 6"), max_length=200)
    item_7 = models.CharField(_("item 7"), max_length=200)
    item_8 = models.CharField(_("item 8"), max_length=200)
    item_9 = models.CharField(
        _("item 9"),
        max_length=200,
        help_text=_("Any answer but the first stops the check and sends the crisis reply at once."),
    )
    option_0 = models.CharField(
        _("answer 0"), max_length=20, help_text=_("“Not at all”. At most 20 characters.")
    )
    option_1 = models.CharField(_("answer 1"), max_length=20, help_text=_("“Several days”."))
    option_2 = models.CharField(_("answer 2"), max_length=20, help_text=_("“More than half the days”."))
    option_3 = models.CharField(_("answer 3"), max_length=20, help_text=_("“Nearly every day”."))
    closing_1 = models.TextField(_("closing words, band 1"), max_length=800)
    closing_2 = models.TextField(_("closing words, band 2"), max_length=800)
    closing_3 = models.TextField(_("closing words, band 3"), max_length=800)
    closing_4 = models.TextField(_("closing words, band 4"), max_length=800)
    follow_up_invitation = models.TextField(
        _("follow-up invitation"),
        max_length=600,
        help_text=_("Sent once, weeks later, to a family that asked for it."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldPanel("consent"),
        MultiFieldPanel(
            [FieldPanel("stem"), *[FieldPanel(f"item_{n}") for n in range(1, ITEMS + 1)]], heading=_("Items")
        ),
        MultiFieldPanel([FieldPanel(f"option_{n}") for n in range(OPTIONS)], heading=_("Answers")),
        MultiFieldPanel(
            [FieldPanel(f"closing_{n}") for n in range(1, 5)], heading=_("Closing words per band")
        ),
        FieldPanel("follow_up_invitation"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("self-check instrument")
        verbose_name_plural = _("self-check instruments")

    def __str__(self):
        return self.title

    def item(self, number):
        return getattr(self, f"item_{number}")

    def options(self):
        return [getattr(self, f"option_{n}") for n in range(OPTIONS)]

    def closing(self, level):
        return getattr(self, f"closing_{int(level)}")


class Route(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling")
    CONSULTATION = "consultation", _("Consultation")
    READING = "reading", _("Reading (articles)")


class ScoreBand(models.Model):
    """One of the four score bands and where it routes a family. Set by the psychiatrist; every
    change is in the admin's history (Wagtail's log entries)."""

    level = models.PositiveSmallIntegerField(_("band"), choices=Level.choices, unique=True, editable=False)
    max_total = models.PositiveSmallIntegerField(
        _("highest total in this band"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_TOTAL)],
        help_text=_(
            "The band runs from the previous band's highest total plus one. The top band ends at 27."
        ),
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    service = models.ForeignKey(
        "guidance.ConsultationService",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For counselling and consultation: the service the reply names."),
    )
    article_1 = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("article 1"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked only while it may reach a parent (live, approved, up to date)."),
    )
    article_2 = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("article 2"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    article_3 = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("article 3"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    series_url = models.URLField(
        _("self-care series link"),
        blank=True,
        help_text=_("Optional: where to sign up for a self-care series."),
    )
    follow_up_weeks = models.PositiveSmallIntegerField(
        _("follow-up invitation after (weeks)"),
        default=8,
        validators=[MaxValueValidator(52)],
        help_text=_("0: no invitation for this band."),
    )

    panels = [
        FieldPanel("max_total"),
        FieldPanel("route"),
        FieldPanel("service"),
        MultiFieldPanel(
            [
                FieldPanel("article_1"),
                FieldPanel("article_2"),
                FieldPanel("article_3"),
                FieldPanel("series_url"),
            ],
            heading=_("Reading"),
        ),
        FieldPanel("follow_up_weeks"),
    ]

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["level"]

    def __str__(self):
        return f"{self.get_level_display()}: {self.low}–{self.max_total}"

    @property
    def low(self):
        below = ScoreBand.objects.filter(level__lt=self.level).order_by("-level").first()
        return below.max_total + 1 if below else 0

    def articles(self):
        return [page for page in (self.article_1, self.article_2, self.article_3) if page is not None]

    def clean(self):
        below = ScoreBand.objects.filter(level__lt=self.level).exclude(pk=self.pk).order_by("-level").first()
        above = ScoreBand.objects.filter(level__gt=self.level).exclude(pk=self.pk).order_by("level").first()
        if self.level == Level.FOUR and self.max_total != MAX_TOTAL:
            raise ValidationError({"max_total": _("The top band ends at 27.")})
        if below and self.max_total <= below.max_total:
            raise ValidationError(
                {"max_total": _("Must be above the band below (%(n)s).") % {"n": below.max_total}}
            )
        if above and self.max_total >= above.max_total:
            raise ValidationError(
                {"max_total": _("Must be below the band above (%(n)s).") % {"n": above.max_total}}
            )
        if self.route in (Route.COUNSELLING, Route.CONSULTATION) and self.service_id is None:
            raise ValidationError({"service": _("Choose the service this band routes to.")})


class Channel(models.TextChoices):
    LINE = "line", "LINE"
    SITE = "site", _("Website")


class Outcome(models.TextChoices):
    OPEN = "open", _("Not finished yet")
    FINISHED = "finished", _("Finished")
    ITEM_9 = "item9", _("Stopped at item 9 (crisis reply)")
    CRISIS = "crisis", _("Stopped by a crisis message")
    STOPPED = "stopped", _("Stopped by the parent")
    EXPIRED = "expired", _("Expired half-way")
    WITHDRAWN = "withdrawn", _("Instrument no longer approved")


class CheckRecord(models.Model):
    """One check begun, anonymously: no key, no date finer than the month, no answers."""

    month = models.DateField(_("month"))
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=10)
    follow_up = models.BooleanField(default=False)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    level = models.PositiveSmallIntegerField(null=True, blank=True, choices=Level.choices)
    route = models.CharField(max_length=20, choices=Route.choices, blank=True)
    service = models.ForeignKey(
        "guidance.ConsultationService", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The event that ended it, so that a repeated event gets the same reply (not a person's data).
    closing_event_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("self-check record")
        verbose_name_plural = _("self-check records")
        indexes = [models.Index(fields=["month", "outcome"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.get_outcome_display()}"


class CheckSession(models.Model):
    """A check under way. Deleted when it ends, so answers are never kept after it."""

    token = models.CharField(max_length=20, unique=True, default=new_token)
    subscriber_key = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=10)
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    fallback = models.BooleanField(default=False)
    step = models.PositiveSmallIntegerField(default=0)  # 0: the intro and consent; 1–9: asking that item
    answers = models.JSONField(default=list)
    keep = models.BooleanField(null=True)
    follows = models.ForeignKey(
        "KeptResult", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    record = models.ForeignKey(CheckRecord, on_delete=models.CASCADE, related_name="+")
    last_event_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber_key", "channel"], name="screening_one_open_check")
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.step}/{ITEMS}"


class KeptResult(models.Model):
    """A consenting family's result: the keyed hash, the date, the band and the total. Nothing else."""

    token = models.CharField(max_length=20, unique=True, default=new_token)
    subscriber_key = models.CharField(_("family (keyed hash)"), max_length=64, db_index=True)
    checked_on = models.DateField(_("date"))
    level = models.PositiveSmallIntegerField(_("band"), choices=Level.choices)
    total = models.PositiveSmallIntegerField(_("total"), validators=[MaxValueValidator(MAX_TOTAL)])
    follows = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_up",
        verbose_name=_("follow-up of"),
    )
    follow_up_wanted = models.BooleanField(_("follow-up invitation asked for"), default=False)
    # The direct message's key (names the result and the approved words, never the family).
    invitation_key = models.CharField(max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("kept self-check result")
        verbose_name_plural = _("kept self-check results")
        ordering = ["-checked_on", "-pk"]

    def __str__(self):
        return f"{self.subscriber_key[:8]}… {self.checked_on}"

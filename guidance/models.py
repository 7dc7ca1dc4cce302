"""Consultation services and their hours, the bot's questions and answers, the crisis list and reply,
and what the bot keeps: per-route counts and, for 30 days at most, masked unanswered questions."""

import datetime

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail_localize.fields import SynchronizedField, TranslatableField

from . import hours
from .crisis import normalise
from .review import ReviewedWordsMixin

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class HolidayRule(models.TextChoices):
    CLOSED = hours.HolidayRule.CLOSED, _("Closed on national holidays")
    AS_SUNDAY = hours.HolidayRule.AS_SUNDAY, _("Sunday hours on national holidays")
    AS_USUAL = hours.HolidayRule.AS_USUAL, _("Usual weekday hours on national holidays")


class ConsultationService(TranslatableMixin, ClusterableModel):
    """A consultation or counselling service a family can turn to, with its hours."""

    name = models.CharField(_("name"), max_length=120)
    provider = models.CharField(_("provider"), max_length=120, blank=True, help_text=_("Who runs it."))
    audience = models.CharField(
        _("who it is for"),
        max_length=200,
        help_text=_("For example: pregnant women and parents of children under 6."),
    )
    helps_with = models.TextField(_("what it helps with"), max_length=600)
    line_url = models.URLField(_("LINE link"), blank=True, help_text=_("Starts the consultation on LINE."))
    web_url = models.URLField(_("browser link"), blank=True)
    booking_url = models.URLField(_("booking link"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    all_hours = models.BooleanField(
        _("open 24 hours, every day"), default=False, help_text=_("When ticked the hours below are ignored.")
    )
    holiday_rule = models.CharField(
        _("on national holidays"), max_length=10, choices=HolidayRule.choices, default=HolidayRule.CLOSED
    )
    year_end_closed = models.BooleanField(
        _("closed 29 December to 3 January"),
        default=False,
        help_text=_("The year-end closure of public offices."),
    )
    hours_note = models.CharField(_("note on hours"), max_length=200, blank=True)
    cost = models.CharField(_("cost"), max_length=120, help_text=_("For example: free (paid by the city)."))
    languages = models.CharField(_("languages"), max_length=120, default="日本語")
    sort_order = models.PositiveSmallIntegerField(_("order on the page"), default=0)
    show_on_site = models.BooleanField(_("show on the get-help page"), default=True)
    # The service's own team: the group whose members see its bookings and consultations (and
    # nobody else does). Set on the Japanese service; translations follow it through source().
    staff_group = models.ForeignKey(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff group"),
        help_text=_("Its members see this service's bookings and consultations; nobody else does."),
    )
    report_code = models.SlugField(
        _("code in the contractor's report"),
        max_length=40,
        blank=True,
        help_text=_(
            "The service's code in the monthly report files. Uses the hub records itself replace "
            "the imported figure for that service and month, so none is counted twice."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("provider"),
        FieldPanel("audience"),
        FieldPanel("helps_with"),
        MultiFieldPanel(
            [FieldPanel("line_url"), FieldPanel("web_url"), FieldPanel("booking_url"), FieldPanel("phone")],
            heading=_("How to start"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("all_hours"),
                InlinePanel("hours", label=_("Hours")),
                FieldPanel("holiday_rule"),
                FieldPanel("year_end_closed"),
                FieldPanel("hours_note"),
            ],
            heading=_("Hours (Asia/Tokyo)"),
        ),
        FieldPanel("cost"),
        FieldPanel("languages"),
        FieldPanel("sort_order"),
        FieldPanel("show_on_site"),
        MultiFieldPanel(
            [FieldPanel("staff_group"), FieldPanel("report_code")], heading=_("Staff and reporting")
        ),
    ]

    # A phone number, the links, the hours and the report code are the service's own facts: a
    # translation follows its source, never a translator's copy.
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("provider"),
        TranslatableField("audience"),
        TranslatableField("helps_with"),
        SynchronizedField("line_url"),
        SynchronizedField("web_url"),
        SynchronizedField("booking_url"),
        SynchronizedField("phone"),
        SynchronizedField("all_hours"),
        SynchronizedField("holiday_rule"),
        SynchronizedField("year_end_closed"),
        TranslatableField("hours_note"),
        TranslatableField("cost"),
        TranslatableField("languages"),
        SynchronizedField("sort_order"),
        SynchronizedField("show_on_site"),
        SynchronizedField("staff_group"),
        SynchronizedField("report_code"),
        SynchronizedField("hours"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("consultation service")
        verbose_name_plural = _("consultation services")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    def source(self):
        """The service in the default locale: its hours hold for every translation."""
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        return (
            ConsultationService.objects.filter(
                translation_key=self.translation_key, locale__language_code=settings.LANGUAGE_CODE
            ).first()
            or self
        )

    def schedule(self):
        source = self.source()
        return hours.Schedule(
            spans=tuple((span.weekday, span.opens, span.closes) for span in source.hours.all()),
            all_hours=source.all_hours,
            holiday_rule=source.holiday_rule,
            year_end_closed=source.year_end_closed,
        )

    def status(self, at=None):
        return hours.status(self.schedule(), at or timezone.now())

    def hours_summary(self):
        """The weekly hours in short: days with the same hours grouped ("Monday–Friday 09:00–17:00")."""
        by_day = {}
        for span in self.source().hours.all():
            by_day.setdefault(span.weekday, []).append(f"{span.opens:%H:%M}–{span.closes:%H:%M}")
        names = dict(WEEKDAYS)
        groups = []  # [first day, last day, hours]
        for day in range(7):
            times = ", ".join(sorted(by_day.get(day, [])))
            if groups and groups[-1][2] == times and groups[-1][1] == day - 1:
                groups[-1][1] = day
            else:
                groups.append([day, day, times])
        return [
            f"{names[first]}{'' if first == last else '–' + str(names[last])} {times}"
            for first, last, times in groups
            if times
        ]

    def start_url(self):
        """The first way in a message can link to: LINE, then the browser, then booking."""
        return self.line_url or self.web_url or self.booking_url


class OpeningPeriod(Orderable):
    service = ParentalKey(ConsultationService, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(
        _("closes"), help_text=_("A time not after the opening time means the next day: 22:00 to 06:00.")
    )

    panels = [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


def services_for_language(language_code=None, visible_only=True):
    """The services in the default locale's order, each in the best language along the reader's
    fallback chain that has a translation (the Japanese source last)."""
    from articles.translations import fallback_chain

    language_code = language_code or settings.LANGUAGE_CODE
    sources = ConsultationService.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    if visible_only:
        sources = sources.filter(show_on_site=True)
    sources = list(sources.select_related("locale").prefetch_related("hours"))
    chain = [code for code in fallback_chain(language_code) if code != settings.LANGUAGE_CODE]
    translated = {}
    if chain:
        for service in ConsultationService.objects.filter(
            locale__language_code__in=chain, translation_key__in=[s.translation_key for s in sources]
        ).select_related("locale"):
            translated[(service.translation_key, service.locale.language_code)] = service
    shown = []
    for source in sources:
        found = (translated.get((source.translation_key, code)) for code in chain)
        shown.append(next((service for service in found if service is not None), source))
    return shown


class QuestionAnswer(
    ReviewedWordsMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    models.Model,
):
    """A question parents ask the LINE account, the ways they ask it, and the answer.

    The answer is medical content: each version, in each language, goes live only once a reviewer
    approved it in the Medical review workflow (:mod:`guidance.review`).
    """

    question = models.CharField(_("question"), max_length=200)
    phrasings = models.TextField(
        _("ways to ask"),
        help_text=_("One per line: how a parent might write this question. The more, the better it matches."),
    )
    answer = models.TextField(
        _("answer"),
        max_length=1000,
        help_text=_(
            "Guidance only: where to turn and how. A physician reviews every version before parents "
            "receive it. Medical advice belongs in an article; link the article below."
        ),
    )
    service = models.ForeignKey(
        ConsultationService,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    article = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked only while it is live with a physician's approval."),
    )
    active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("question"),
        FieldPanel("phrasings"),
        FieldPanel("answer"),
        FieldPanel("service"),
        FieldPanel("article"),
        FieldPanel("active"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")

    def __str__(self):
        return self.question

    def phrasing_list(self):
        return [line.strip() for line in [self.question, *self.phrasings.splitlines()] if line.strip()]


class CrisisExpression(models.Model):
    """An expression that makes the bot send the crisis reply. Administrators only."""

    class Kind(models.TextChoices):
        CRISIS = "crisis", _("Crisis: send the crisis reply")
        IDIOM = "idiom", _("Harmless idiom: ignore it before checking (e.g. 死ぬほど)")

    expression = models.CharField(_("expression"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CRISIS)
    normalised = models.CharField(max_length=60, editable=False, db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldPanel("expression"), FieldPanel("kind"), FieldPanel("note")]

    class Meta:
        verbose_name = _("crisis expression")
        verbose_name_plural = _("crisis expressions")
        ordering = ["kind", "normalised"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "normalised"], name="guidance_unique_expression")
        ]

    def __str__(self):
        return self.expression

    def save(self, *args, **kwargs):
        self.normalised = normalise(self.expression)
        super().save(*args, **kwargs)


class CrisisReply(
    ReviewedWordsMixin, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model
):
    """The fixed reply to a crisis message, per language.

    Parents receive only a version a physician approved in the Medical review workflow (their own
    action, in the audit log); a change waits for approval and a rejected one never replaces the
    approved text. Until then the bot sends the numbers alone (:func:`guidance.answering.crisis_answer`).
    """

    physician_only = True

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, unique=True)
    text = models.TextField(
        _("reply"),
        max_length=2000,
        help_text=_("The emergency and crisis numbers are added below this text automatically."),
    )

    panels = [FieldPanel("language"), FieldPanel("text")]

    class Meta:
        verbose_name = _("crisis reply")
        verbose_name_plural = _("crisis replies")

    def __str__(self):
        return self.get_language_display()

    @property
    def approved(self):
        """Whether a version of this reply approved by a physician is live (see ``words_for_parent``)."""
        from .review import words_for_parent

        return words_for_parent(self) is not None

    @admin.display(description=_("approved by"))
    def approved_by(self):
        """Who approved the version parents receive, and when; blank while none is approved."""
        approval = self.live_approval if self.approved else None
        return f"{approval.reviewer_name} {approval.approved_at:%Y-%m-%d}" if approval else ""


class WordsApproval(models.Model):
    """A reviewer's approval of one revision of the bot's words (an answer or a crisis reply).

    Recorded only by the Physician review task; a parent receives only an approved revision.
    """

    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="words_approval"
    )
    physician = models.ForeignKey(
        "articles.Physician", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        "articles.MedicalReviewer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-approved_at"]
        verbose_name = _("approval of the bot's words")
        verbose_name_plural = _("approvals of the bot's words")

    def __str__(self):
        return f"r{self.revision_id} ✓ {self.reviewer_name}"

    @property
    def reviewer_name(self):
        if self.physician_id:
            return self.physician.name
        return self.reviewer.name if self.reviewer_id else ""


class Route(models.TextChoices):
    CRISIS = "crisis", _("Crisis reply")
    MENU = "menu", _("Menu command")
    ANSWER = "answer", _("Question and answer")
    ARTICLES = "articles", _("Articles")
    FALLBACK = "fallback", _("Kind fallback")
    # The features behind guidance.conversation's router.
    SIGNUP = "signup", _("Sign-up conversation")
    SCREENING = "screening", _("Self-check")
    BOOKING = "booking", _("Booking")
    CONSULTATION = "consult", _("Consultation")


class BotReply(models.Model):
    """One message the bot answered: the route and language only, never what was written."""

    route = models.CharField(_("route"), max_length=10, choices=Route.choices)
    language = models.CharField(_("language"), max_length=10)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now, db_index=True)
    webhook_event_id = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("bot reply")
        verbose_name_plural = _("bot replies")

    def __str__(self):
        return f"{self.get_route_display()} {self.answered_at:%Y-%m-%d}"


UNANSWERED_RETENTION = datetime.timedelta(days=30)


class UnansweredQuestion(models.Model):
    """A question the bot could not answer, masked, kept for editors for 30 days at most."""

    text = models.TextField(_("question (masked)"))
    language = models.CharField(_("language"), max_length=10)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("unanswered question")
        verbose_name_plural = _("unanswered questions")
        ordering = ["-received_at"]

    def __str__(self):
        return self.text[:40]

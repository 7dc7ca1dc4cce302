"""The city's scorecard: KPI settings, quarterly survey pages, service use and counselling outcomes.

This app reads figures from the other apps; they never import it.
"""

import json

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField

from .forms import SurveyFormBuilder

PHQ9_MIN, PHQ9_MAX = 0, 27
SMALL_NUMBER = 5


@register_setting(icon="table")
class KpiSettings(BaseGenericSetting):
    """Targets, thresholds and the stated definition of each of the plan's six KPIs."""

    notifications_target = models.PositiveIntegerField(_("notifications a year: target"), default=50)
    notifications_definition = models.TextField(
        _("notifications: definition"),
        default="年度内（4月1日〜翌3月31日、日本時間）に、LINEまたはアプリで最初の配信が受け付けられた通知の件数",
    )
    registrants_target = models.PositiveIntegerField(_("registrants: target"), default=500)
    registrants_definition = models.TextField(
        _("registrants: definition"),
        default="現在友だち登録中のLINE利用者と、有効なアプリ端末の合計。年度内の新規登録と解除も併記",
    )
    service_uses_target = models.PositiveIntegerField(_("service uses a year: target"), default=100)
    service_uses_definition = models.TextField(
        _("service uses: definition"),
        default="相談・カウンセリング事業の年度内の延べ利用人数（委託先の月次報告による）",
    )
    satisfaction_target = models.DecimalField(
        _("satisfaction: target"),
        max_digits=3,
        decimal_places=2,
        default=3.5,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_definition = models.TextField(
        _("satisfaction: definition"),
        default="年度内のアンケートで満足度項目（5段階）に回答した値の平均",
    )
    image_target_percent = models.PositiveSmallIntegerField(
        _("image improved: target (%)"), default=90, validators=[MaxValueValidator(100)]
    )
    image_definition = models.TextField(
        _("image improved: definition"),
        default="年度内のアンケートで「子育てしやすいまちのイメージが向上した」と答えた人の割合",
    )
    phq9_target_percent = models.PositiveSmallIntegerField(
        _("PHQ-9 improvement: target (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    phq9_start_threshold = models.PositiveSmallIntegerField(
        _("PHQ-9 start threshold"),
        default=10,
        validators=[MaxValueValidator(PHQ9_MAX)],
        help_text=_("Clients whose score at the start is at or above this count."),
    )
    phq9_end_threshold = models.PositiveSmallIntegerField(
        _("PHQ-9 end threshold"), default=10, validators=[MaxValueValidator(PHQ9_MAX)]
    )
    phq9_end_inclusive = models.BooleanField(
        _("end threshold is inclusive"),
        default=True,
        help_text=_("Checked: an end score equal to the threshold counts as improved (「10点以下」)."),
    )
    phq9_definition = models.TextField(
        _("PHQ-9 improvement: definition"),
        default="PHQ9が10点以上の人で、終了時に10点以下に下がった割合（終了日が年度内の事例）",
    )
    include_untokened_answers = models.BooleanField(
        _("count survey answers without an invitation token"),
        default=False,
        help_text=_(
            "Answers from the public link cannot be checked for repeats: one client can send many. "
            "They are always shown apart in the survey results."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("notifications_target"), FieldPanel("notifications_definition")], _("Notifications")
        ),
        MultiFieldPanel(
            [FieldPanel("registrants_target"), FieldPanel("registrants_definition")], _("Registrants")
        ),
        MultiFieldPanel(
            [FieldPanel("service_uses_target"), FieldPanel("service_uses_definition")], _("Service uses")
        ),
        MultiFieldPanel(
            [
                FieldPanel("satisfaction_target"),
                FieldPanel("satisfaction_definition"),
                FieldPanel("include_untokened_answers"),
            ],
            _("Satisfaction"),
        ),
        MultiFieldPanel(
            [FieldPanel("image_target_percent"), FieldPanel("image_definition")], _("Image improved")
        ),
        MultiFieldPanel(
            [
                FieldPanel("phq9_target_percent"),
                FieldRowPanel([FieldPanel("phq9_start_threshold"), FieldPanel("phq9_end_threshold")]),
                FieldPanel("phq9_end_inclusive"),
                FieldPanel("phq9_definition"),
            ],
            _("PHQ-9 improvement"),
        ),
    ]

    class Meta:
        verbose_name = _("KPI settings")
        # Checked in every KPI view and export (outcomes.access); granted to groups by migration.
        permissions = [
            ("view_kpi_dashboard", "Can view the KPI dashboard, its exports and survey results"),
            ("view_health_outcomes", "Can view PHQ-9 figures, survey free text and case rows"),
        ]

    def phq9_improved(self, end_score):
        """Whether an end score counts as fallen to the end threshold."""
        if self.phq9_end_inclusive:
            return end_score <= self.phq9_end_threshold
        return end_score < self.phq9_end_threshold


class Service(models.Model):
    """A consultation or counselling service the contractor reports on (kept simple on purpose)."""

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("As written in the report files.")
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("reported service")
        verbose_name_plural = _("reported services")

    def __str__(self):
        return self.name


class ServiceUsage(models.Model):
    """One month's number of uses of one service, from the contractor's monthly report."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="usages", verbose_name=_("service")
    )
    uses = models.PositiveIntegerField(_("uses"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["month", "service"]
        verbose_name = _("service usage")
        verbose_name_plural = _("service usage")
        constraints = [
            models.UniqueConstraint(fields=["month", "service"], name="outcomes_usage_month_service")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.service}: {self.uses}"

    def clean(self):
        if self.month and self.month.day != 1:
            self.month = self.month.replace(day=1)


class CounsellingOutcome(models.Model):
    """One counselling case's PHQ-9 totals, under the contractor's pseudonymous case ID.

    Health data: only the "Outcome data" group may view these rows; everyone else sees aggregates.
    """

    case_id = models.CharField(_("case ID"), max_length=64, unique=True)
    start_date = models.DateField(_("start date"))
    start_score = models.PositiveSmallIntegerField(
        _("PHQ-9 at start"), validators=[MinValueValidator(PHQ9_MIN), MaxValueValidator(PHQ9_MAX)]
    )
    end_date = models.DateField(_("end date"))
    end_score = models.PositiveSmallIntegerField(
        _("PHQ-9 at end"), validators=[MinValueValidator(PHQ9_MIN), MaxValueValidator(PHQ9_MAX)]
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["end_date", "case_id"]
        verbose_name = _("counselling outcome")
        verbose_name_plural = _("counselling outcomes")

    def __str__(self):
        return self.case_id

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


# Surveys


class Quarter(models.IntegerChoices):
    Q1 = 1, _("Q1 (April–June)")
    Q2 = 2, _("Q2 (July–September)")
    Q3 = 3, _("Q3 (October–December)")
    Q4 = 4, _("Q4 (January–March)")


RATING = "rating"
RATING_POINTS = range(1, 6)
SURVEY_FIELD_CHOICES = [*FORM_FIELD_CHOICES, (RATING, _("5-point rating"))]


class SurveyField(AbstractFormField):
    """A survey question; a 5-point rating has labelled ends and may count toward satisfaction."""

    page = ParentalKey("SurveyPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(_("field type"), max_length=16, choices=SURVEY_FIELD_CHOICES)
    low_label = models.CharField(_("label of 1"), max_length=40, blank=True, default="とても不満")
    high_label = models.CharField(_("label of 5"), max_length=40, blank=True, default="とても満足")
    counts_for_satisfaction = models.BooleanField(
        _("counts toward the satisfaction KPI"), default=False, help_text=_("Only for 5-point ratings.")
    )
    is_image_question = models.BooleanField(
        _("is the 'image improved' question"),
        default=False,
        help_text=_("The answers listed below count as 'improved'; every other answer as not improved."),
    )
    improved_answers = models.TextField(
        _("answers that mean 'improved'"),
        blank=True,
        help_text=_("One per line, exactly as in the choices; for a rating, the points (e.g. 4 and 5)."),
    )

    panels = [
        *AbstractFormField.panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("low_label"), FieldPanel("high_label")]),
                FieldPanel("counts_for_satisfaction"),
                FieldPanel("is_image_question"),
                FieldPanel("improved_answers"),
            ],
            _("Scorecard"),
        ),
    ]

    def improved_set(self):
        return {line.strip() for line in self.improved_answers.splitlines() if line.strip()}

    def clean(self):
        super().clean()
        if self.counts_for_satisfaction and self.field_type != RATING:
            raise ValidationError(
                {"counts_for_satisfaction": _("Only a 5-point rating can count toward satisfaction.")}
            )
        if self.is_image_question and not self.improved_set():
            raise ValidationError({"improved_answers": _("List the answers that mean 'improved'.")})


class SurveyResponse(AbstractFormSubmission):
    """One family's answers. Nothing here says who answered: no LINE ID, token, IP or user."""

    tokened = models.BooleanField(
        _("answered through an invitation"),
        default=False,
        help_text=_("False for answers from the public link, which cannot be checked for repeats."),
    )
    is_sample = models.BooleanField(_("sample answer"), default=False, editable=False)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def answers(self):
        data = self.form_data
        return json.loads(data) if isinstance(data, str) else data


class UsedInvitation(models.Model):
    """A spent invitation: only a hash, without a time or a link to the answer it allowed."""

    # The hash is the key: no sequence number or timestamp can pair it with a response.
    token_hash = models.CharField(max_length=64, primary_key=True)
    survey = models.ForeignKey("SurveyPage", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("used survey invitation")

    def __str__(self):
        return self.token_hash[:8]


class SurveyPage(AbstractForm):
    """A quarterly survey built with Wagtail's form builder, for one fiscal year's quarter."""

    intro = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(_("thank-you text"), blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The year in which April falls.")
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=Quarter.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    requires_invitation = models.BooleanField(
        _("requires an invitation"),
        default=True,
        help_text=_(
            "Checked: only families with their own link (LINE menu or app) can answer; the public "
            "link shows a notice instead of the form."
        ),
    )
    announcement_text = models.CharField(
        _("announcement text"),
        max_length=200,
        default="アンケートにご協力ください。LINEでは下のメニューの「アンケート」から回答できます。"
        "回答は匿名で、1〜2分で終わります。",
        help_text=_(
            "The text of the notification that invites families to answer. Each family gets its own "
            "single-use link from the LINE menu's 「アンケート」 or in the app, so say where to tap."
        ),
    )

    content_panels = [
        *AbstractForm.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("fiscal_year"), FieldPanel("quarter")], heading=_("Round")),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Open period")),
        FieldPanel("requires_invitation"),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
        FieldPanel("announcement_text"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    form_builder = SurveyFormBuilder
    template = "outcomes/survey_page.html"
    landing_page_template = "outcomes/survey_page_landing.html"

    class Meta:
        verbose_name = _("survey")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "quarter"], name="outcomes_survey_round")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The survey must close after it opens.")})

    def requires_physician_approval(self):
        return False

    def get_submission_class(self):
        return SurveyResponse

    def is_open(self, now):
        return self.opens_at <= now < self.closes_at

    def serve(self, request, *args, **kwargs):
        from .views import serve_survey

        return serve_survey(self, request, *args, **kwargs)

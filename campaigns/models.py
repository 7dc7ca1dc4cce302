"""Campaign pages, their events and their push plan, and the record of each planned push's dispatch."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from articles.enums import LifeStage
from articles.models import SUMMARY_MAX_LENGTH, ArticlePage, PhysicianApprovedMixin

from .blocks import CampaignBodyBlock
from .enums import DispatchStatus
from .forms import CampaignPageForm


def approved_articles_q():
    """Live articles whose live revision a physician approved: the only ones a campaign may feature."""
    return Q(live=True, live_revision__article_approval__isnull=False)


def default_start():
    today = timezone.localdate()
    return datetime.date(today.year, 5, 1)


def default_end():
    today = timezone.localdate()
    return datetime.date(today.year, 5, 31)


class ChoiceListField(models.JSONField):
    """A list of codes chosen from fixed choices, stored as JSON so SQLite and PostgreSQL both hold it."""

    def __init__(self, *args, choice_list=None, **kwargs):
        self.choice_list = choice_list
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choice_list", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        choices = self.choice_list() if callable(self.choice_list) else self.choice_list
        return forms.MultipleChoiceField(
            label=self.verbose_name,
            help_text=self.help_text,
            choices=choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
        )


def life_stage_choices():
    return LifeStage.choices


def language_choices():
    return settings.LANGUAGES


class CampaignIndexPage(Page):
    """Lists the city's campaigns, the running one first."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["campaigns.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("campaign index")

    def campaigns(self):
        return CampaignPage.objects.live().public().child_of(self).order_by("-start_date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = self.campaigns()
        return context


class CampaignPage(PhysicianApprovedMixin, Page):
    """A campaign such as Children-First Month: a theme, a period, events and a push plan.

    The mixin brings the articles' publish gate and review workflow: every word of a campaign is
    written for parents (a fever tip can hide in any push), so a campaign goes live only with its
    physician's approval of the revision going live, whatever road publishes it and whoever
    publishes it. No box an editor or an administrator ticks decides otherwise.
    """

    theme = models.CharField(
        _("theme"), max_length=120, help_text=_("One line, shown on the home page banner while it runs.")
    )
    start_date = models.DateField(_("start date"), default=default_start)
    end_date = models.DateField(
        _("end date"),
        default=default_end,
        help_text=_("May by default; any period is allowed. The banner shows from start to end, inclusive."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(CampaignBodyBlock(), verbose_name=_("body"), blank=True)
    featured_articles = ParentalManyToManyField(
        ArticlePage,
        verbose_name=_("featured articles"),
        blank=True,
        related_name="featured_in_campaigns",
        limit_choices_to=approved_articles_q,
        help_text=_("Only live articles approved by their physician can be featured."),
    )
    physician = models.ForeignKey(
        "articles.Physician",
        verbose_name=_("reviewing physician"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text=_(
            "This physician approves each version: a campaign's words reach parents only when reviewed."
        ),
        # The physician themselves (with their admin account), never a translation of their entry.
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Period")),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("featured_articles", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("physician")], heading=_("Medical review")),
        InlinePanel("events", heading=_("Events"), label=_("Event")),
        MultiFieldPanel(
            [
                HelpPanel(template="campaigns/panels/preset_button.html"),
                InlinePanel("planned_pushes", label=_("Planned push")),
            ],
            heading=_("Push plan"),
        ),
    ]

    base_form_class = CampaignPageForm
    # A copy (next year's campaign) starts with an empty plan: copied pushes would all be in the
    # past, each due at once; the editor fills the new plan from the preset. A translation made
    # with wagtail-localize gets the source's plan back when it syncs, for its texts to translate.
    exclude_fields_in_copy = ["planned_pushes"]

    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The campaign cannot end before it starts.")
        if not self.physician_id:
            errors["physician"] = _("Choose the physician who reviews this campaign.")
        if errors:
            raise ValidationError(errors)

    def is_running(self, on=None):
        on = on or timezone.localdate()
        return self.start_date <= on <= self.end_date

    def leading_articles(self):
        return (
            ArticlePage.objects.filter(pk__in=self.featured_articles.values("pk"))
            .filter(approved_articles_q())
            .public()
            .select_related("physician")
            .prefetch_related("life_stages")
            .order_by("-first_published_at", "-pk")
        )

    def upcoming_events(self):
        return self.events.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured"] = self.leading_articles()
        return context


def running_campaign(root_page, on=None):
    """The live campaign under ``root_page`` that runs today (the most recently started one), or None."""
    on = on or timezone.localdate()
    return (
        CampaignPage.objects.live()
        .public()
        .descendant_of(root_page)
        .filter(start_date__lte=on, end_date__gte=on)
        .order_by("-start_date", "-pk")
        .first()
    )


class CampaignEvent(Orderable):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(_("name"), max_length=120)
    starts_at = models.DateTimeField(_("date and time"), help_text=_("Asia/Tokyo time."))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    map_url = models.URLField(_("map link"), blank=True)
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    accessibility = models.TextField(
        _("accessibility notes"),
        blank=True,
        help_text=_("For example: step-free route, pushchair parking, nursing room, quiet area."),
    )
    how_to_join = models.TextField(_("how to join"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("venue"),
        FieldPanel("address"),
        FieldPanel("map_url"),
        FieldPanel("what_to_bring"),
        FieldPanel("accessibility"),
        FieldPanel("how_to_join"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})


class PlannedPush(TranslatableMixin, Orderable):
    """One scheduled notification of a campaign. Sent once, by the beat task, through the pipeline.

    Translatable: a translation of the campaign carries each push's text in its language (same
    ``translation_key``); only the source campaign's items are scheduled.
    """

    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="planned_pushes")
    send_at = models.DateTimeField(_("send at"), help_text=_("Asia/Tokyo time."))
    text = models.CharField(_("text"), max_length=SUMMARY_MAX_LENGTH, help_text=_("Up to 120 characters."))
    target_article = models.ForeignKey(
        ArticlePage,
        verbose_name=_("links to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=approved_articles_q,
        help_text=_("Leave empty to link to the campaign page, or choose one of its featured articles."),
    )
    life_stages = ChoiceListField(
        _("life stages"),
        choice_list=life_stage_choices,
        help_text=_("None ticked: every life stage."),
    )
    languages = ChoiceListField(
        _("languages"),
        choice_list=language_choices,
        help_text=_("None ticked: every language."),
    )

    panels = [
        FieldPanel("send_at"),
        FieldPanel("text"),
        FieldPanel("target_article", widget=forms.Select),
        FieldPanel("life_stages"),
        FieldPanel("languages"),
    ]
    # Only the text is translated; the plan itself stays the source's.
    override_translatable_fields = [
        SynchronizedField("send_at"),
        SynchronizedField("target_article"),
        SynchronizedField("life_stages"),
        SynchronizedField("languages"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("planned push")
        verbose_name_plural = _("planned pushes")

    def __str__(self):
        return f"{timezone.localtime(self.send_at):%Y-%m-%d %H:%M} {self.text}"

    @property
    def source(self):
        return f"campaign-push:{self.pk}"

    @property
    def target_page(self):
        return self.target_article if self.target_article_id else self.page


class PushDispatch(models.Model):
    """What happened when a planned push came due: claimed once, under a unique plan item.

    Kept apart from :class:`PlannedPush` because plan items live in page revisions: publishing an
    older revision would otherwise overwrite the status the beat task recorded.
    """

    plan_item_id = models.BigIntegerField(_("planned push"), unique=True)
    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="push_dispatches")
    status = models.CharField(_("status"), max_length=32, choices=DispatchStatus.choices)
    due_at = models.DateTimeField(_("planned time"))
    text = models.CharField(_("text"), max_length=SUMMARY_MAX_LENGTH)
    target = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("links to"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed at"))
    issued_at = models.DateTimeField(_("handed to the pipeline at"), null=True, blank=True)
    lateness = models.DurationField(_("lateness"), null=True, blank=True)
    skip_reason = models.CharField(_("reason"), max_length=255, blank=True)
    notification_id = models.BigIntegerField(_("notification"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    editors_emailed_at = models.DateTimeField(_("editors emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "plan_item_id"]
        verbose_name = _("push dispatch")
        verbose_name_plural = _("push dispatches")

    def __str__(self):
        return f"campaign-push:{self.plan_item_id} {self.status}"

    @property
    def source(self):
        return f"campaign-push:{self.plan_item_id}"

    @property
    def locks_plan_item(self):
        """Once handed to the pipeline (or skipped), the plan item must not change any more."""
        return self.status in (DispatchStatus.ISSUED, DispatchStatus.SKIPPED, DispatchStatus.CANCELLED)

"""Physicians, life stages, topics and the supervised article pages."""

import logging
import re
import threading
import unicodedata

from rest_framework import serializers

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, Revision, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField, get_translatable_fields

from .blocks import ArticleBodyBlock
from .enums import LifeStage as LifeStageChoice
from .enums import Specialty
from .panels import EasyJapaneseHintsPanel
from .search import SegmentedSearchField, page_search_fields

logger = logging.getLogger("articles")

SUMMARY_MAX_LENGTH = 120
# An article card's image and its renditions in one query for the whole list, not one per card.
CARD_IMAGE_PREFETCH = ["image__renditions"]
ARTICLES_PER_PAGE = 12


class LifeStage(models.Model):
    """One row per stage in :class:`articles.enums.LifeStage`, created by a migration."""

    code = models.CharField(max_length=32, unique=True, choices=LifeStageChoice.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("life stage")
        verbose_name_plural = _("life stages")

    def __str__(self):
        return str(self.get_code_display())

    @property
    def label(self):
        return self.get_code_display()


class ShownName(str):
    """A snippet's name as a reader sees it, with the language it is written in (``.language``), so
    a template marks a name shown in another language than the page's with its own ``lang``."""

    def __new__(cls, text, language):
        shown = super().__new__(cls, text)
        shown.language = language
        return shown


def names_for_reader(snippets, language=None, field="name"):
    """``{snippet.pk: ShownName}`` for source-language (Japanese) translatable snippets: each in
    the best language along the reader's fallback chain that has a translation, in one query."""
    from .translations import fallback_chain

    snippets = list(snippets)
    chain = fallback_chain(language or get_language() or settings.LANGUAGE_CODE)
    found = {}
    if snippets:
        model = type(snippets[0])
        rows = model.objects.filter(
            translation_key__in=[s.translation_key for s in snippets], locale__language_code__in=chain
        ).select_related("locale")
        for row in rows:
            found[(row.translation_key, row.locale.language_code)] = row
    shown = {}
    for snippet in snippets:
        for code in chain:
            row = found.get((snippet.translation_key, code))
            if row is not None:
                shown[snippet.pk] = ShownName(getattr(row, field), code)
                break
        else:
            shown[snippet.pk] = ShownName(getattr(snippet, field), settings.LANGUAGE_CODE)
    return shown


class Topic(TranslatableMixin, index.Indexed, models.Model):
    """A topic tag. Translated with wagtail-localize (Snippets → Topics → Translate); a reader sees
    it in the best language along their fallback chain, Japanese last."""

    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(
        _("name in English"),
        max_length=60,
        blank=True,
        help_text=_("Only for the app's API; readers see the topic's translations."),
    )
    slug = models.SlugField(_("slug"), max_length=60, allow_unicode=False)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug")]
    search_fields = [
        SegmentedSearchField("name"),
        index.SearchField("name_en"),
        index.FilterField("locale_id"),
    ]
    # The slug links a translation to its source's article filter, so it is never translated.
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("name_en"),
        SynchronizedField("slug"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["name", "locale"], name="articles_topic_name_per_locale"),
            models.UniqueConstraint(fields=["slug", "locale"], name="articles_topic_slug_per_locale"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        """The name in the reader's language, or the next along their fallback chain."""
        return names_for_reader([self])[self.pk]


class Physician(TranslatableMixin, index.Indexed, models.Model):
    """A supervising physician or health professional. Approves the articles they supervise.

    Translatable (wagtail-localize) for what families read: the public name, credentials and
    affiliation. The Japanese entry is the physician: it holds the admin account and is the one
    pages point at; a translation only gives their words in another language.
    """

    name = models.CharField(_("name"), max_length=80)
    name_kana = models.CharField(_("name in kana"), max_length=80, help_text=_("For example: やまだ はなこ"))
    specialty = models.CharField(_("specialty"), max_length=32, choices=Specialty.choices)
    credentials = models.CharField(
        _("credentials"),
        max_length=200,
        blank=True,
        help_text=_("For example: board-certified paediatrician"),
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="physician",
        help_text=_("The admin account this physician uses to approve articles."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("name_kana"),
        FieldPanel("specialty"),
        FieldPanel("credentials"),
        FieldPanel("affiliation"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [
        SegmentedSearchField("name"),
        SegmentedSearchField("name_kana"),
        SegmentedSearchField("affiliation"),
        index.FilterField("locale_id"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("name_kana"),
        SynchronizedField("specialty"),
        TranslatableField("credentials"),
        TranslatableField("affiliation"),
        SynchronizedField("photo"),
    ]
    # One admin account approves as this physician: a translation never carries it.
    exclude_fields_in_copy = ["user"]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name_kana"]
        verbose_name = _("physician")
        verbose_name_plural = _("physicians")

    def __str__(self):
        return f"{self.name}（{self.get_specialty_display()}）"

    def for_reader(self, language=None):
        """This physician's entry in the best language along the reader's fallback chain (with
        ``shown_language`` set), the Japanese source last."""
        from .translations import fallback_chain

        chain = fallback_chain(language or get_language() or settings.LANGUAGE_CODE)
        rows = {
            row.locale.language_code: row
            for row in Physician.objects.filter(
                translation_key=self.translation_key, locale__language_code__in=chain
            ).select_related("locale")
        }
        shown = next((rows[code] for code in chain if code in rows), self)
        shown.shown_language = next((code for code in chain if code in rows), settings.LANGUAGE_CODE)
        return shown


class SearchSynonym(models.Model):
    """Words that mean the same to a parent; site search finds any of them when one is asked."""

    terms = models.CharField(
        _("words"),
        max_length=255,
        help_text=_(
            "Two or more words that mean the same to a parent, separated by commas, everyday words "
            "beside medical ones: 予防注射, 予防接種"
        ),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return self.terms

    def term_list(self):
        """The words of this group, normalised (full width folded, lower-cased)."""
        return split_terms(self.terms)

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("Give at least two words, separated by commas.")})


def split_terms(text):
    words = (unicodedata.normalize("NFKC", word).strip().lower() for word in re.split(r"[,、]", text or ""))
    return list(dict.fromkeys(word for word in words if word))


class MedicalReviewer(models.Model):
    """Who may sign off a translation, and in which languages (a physician or a medical translator).

    The source language needs no registration: the article's own physician reviews it. Every other
    language is reviewed only by someone registered for it here.
    """

    class Role(models.TextChoices):
        PHYSICIAN = "physician", _("Physician")
        TRANSLATOR = "translator", _("Medical translator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin user"),
        on_delete=models.CASCADE,
        related_name="medical_reviewer",
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("Shown with each approval on the site."))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    physician = models.OneToOneField(
        Physician,
        verbose_name=_("physician"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviewer",
        help_text=_(
            "For a physician: their physician entry. They then review their own articles' translations."
        ),
    )
    locales = models.ManyToManyField(
        "wagtailcore.Locale",
        verbose_name=_("languages"),
        related_name="+",
        help_text=_("The languages this person is qualified to sign off medical content in."),
    )

    panels = [
        FieldPanel("user"),
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("physician"),
        FieldPanel("locales", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("medical reviewer")
        verbose_name_plural = _("medical reviewers")

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"


class ArticleApproval(models.Model):
    """A qualified reviewer's approval of one article revision. Only an approved revision may go live.

    For a translation, ``source_revision`` is the live revision of the Japanese source when it was
    approved: once the source moves on, the translation is out of date until approved again. When
    the source is withdrawn, its translations' approvals are too (``withdrawn_at``): a translation
    comes back only through its own review, even if the source comes back as it was.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="article_approvals")
    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="article_approval")
    physician = models.ForeignKey(
        Physician, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    reviewer = models.ForeignKey(
        MedicalReviewer, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    source_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)
    reviewed_on = models.DateField()
    next_review_due = models.DateField()
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_(
            "When the Japanese original was withdrawn: this approval no longer lets the page go live."
        ),
    )

    class Meta:
        ordering = ["-approved_at"]
        verbose_name = _("article approval")
        verbose_name_plural = _("article approvals")

    def __str__(self):
        return f"{self.page_id} r{self.revision_id} ✓ {self.reviewer_name}"

    @property
    def reviewer_name(self):
        if self.physician_id:
            return self.physician.name
        return self.reviewer.name if self.reviewer_id else ""


class TranslatedViewRestriction(models.Model):
    """A source page's view restriction copied onto one of its translations (or their section).

    Privacy follows the source into every language: the copy is a real view restriction, so the
    site, API v2, search, listings and the page cache treat the translation exactly as Wagtail
    treats any private page. :mod:`articles.translation_privacy` keeps copies in step.
    """

    source = models.ForeignKey(
        "wagtailcore.PageViewRestriction", on_delete=models.CASCADE, related_name="translated_copies"
    )
    copy = models.OneToOneField(
        "wagtailcore.PageViewRestriction", on_delete=models.CASCADE, related_name="translated_from"
    )

    class Meta:
        verbose_name = _("translated view restriction")
        verbose_name_plural = _("translated view restrictions")

    def __str__(self):
        return f"{self.source_id} → {self.copy_id}"


class ReviewReminder(models.Model):
    """One row per physician and day: the daily reminder email is sent at most once a day."""

    physician = models.ForeignKey(Physician, on_delete=models.CASCADE, related_name="review_reminders")
    sent_on = models.DateField()
    pages = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["physician", "sent_on"], name="unique_review_reminder_per_day")
        ]
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")

    def __str__(self):
        return f"{self.physician_id} {self.sent_on}"


class PhysicianSerializer(serializers.ModelSerializer):
    specialty_display = serializers.CharField(source="get_specialty_display")

    class Meta:
        model = Physician
        fields = ["id", "name", "name_kana", "specialty", "specialty_display", "credentials", "affiliation"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "name_en", "slug"]


class _SourcePhysicianFields:
    """A page's ``translatable_fields`` as wagtail-localize derives them, except that the physician
    stays the source's: physicians are translatable snippets (their public name and titles), but
    the physician who supervises and approves a page is one person, the Japanese entry with the
    admin account, in every language. Derived each time, so fields added to the page follow."""

    _deriving = threading.local()

    def __get__(self, instance, owner):
        if getattr(self._deriving, "active", False):
            raise AttributeError("translatable_fields")  # wagtail-localize then derives them
        self._deriving.active = True
        try:
            fields = get_translatable_fields(owner)
        finally:
            self._deriving.active = False
        return [SynchronizedField(f.field_name) if f.field_name == "physician" else f for f in fields]


class PhysicianApprovedMixin:
    """For pages that go live only with a physician's approval of the revision going live.

    The review dates shown to families come from the :class:`ArticleApproval` of the live
    revision, never from anything an editor typed. Every publishing road passes the gate in
    :mod:`articles.gate`: :meth:`publish` for ``Revision.publish()`` (workflow approval, scheduled
    publishing, wagtail-localize) and :meth:`save` for anything that sets ``live`` directly
    (copying with "publish copies", the admin's own publish action).
    """

    translatable_fields = _SourcePhysicianFields()

    def requires_physician_approval(self):
        return True

    @cached_property
    def live_approval(self):
        """The physician's approval of the revision that is live now, or None."""
        if not self.live_revision_id:
            return None
        return (
            ArticleApproval.objects.select_related("physician", "reviewer")
            .filter(revision_id=self.live_revision_id)
            .first()
        )

    @property
    def is_translation(self):
        from .translations import is_translation

        return is_translation(self)

    @cached_property
    def translation_out_of_date(self):
        """Whether this live translation was approved against an older version of its source."""
        from .translations import out_of_date

        return out_of_date(self)

    @property
    def last_reviewed_on(self):
        approval = self.live_approval
        return approval.reviewed_on if approval else None

    @property
    def next_review_due(self):
        approval = self.live_approval
        return approval.next_review_due if approval else None

    @property
    def review_overdue(self):
        due = self.next_review_due
        return due is not None and due < timezone.localdate()

    def publish(self, revision, user=None, *args, **kwargs):
        from .gate import UnapprovedRevisionError, check_revision

        try:
            check_revision(self, revision.pk, road="publish", user=user)
        except UnapprovedRevisionError:
            if kwargs.get("log_action") != "wagtail.publish.scheduled":
                raise
            # publish_scheduled stops at the first error; withdraw this schedule instead so the
            # other scheduled pages still go live and this one is not retried every run.
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            return None
        return super().publish(revision, *args, user=user, **kwargs)

    def save(self, *args, **kwargs):
        if getattr(self, "_restoring_live_content", False):
            return super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        going_live = update_fields is None or {"live", "live_revision"} & set(update_fields)
        # A full save of a page that stays live with the same revision writes whatever the instance
        # holds into the rows the site, the API and search read. wagtail-localize does this when it
        # saves a translation's new text (submitting for review, syncing from the source) before
        # making a revision of it: the rows must go on holding the approved, live revision.
        # An alias has no revisions of its own (its live revision is its source's): Wagtail writes
        # its source's published content into it, which is what it must hold.
        keeps_live_revision = (
            update_fields is None
            and not self.alias_of_id
            and self.live
            and self._already_live_with(self.live_revision_id)
            and getattr(self, "requires_physician_approval", lambda: False)()
        )
        if self.live and going_live:
            from .gate import check_revision, is_approved, requires_physician_approval

            unapproved = requires_physician_approval(self) and not is_approved(self.live_revision_id, self)
            if self._state.adding and unapproved:
                # A page is born a draft (``live`` defaults to True in Wagtail, and a copy made
                # with "publish copies" arrives live): it goes live later through an approved
                # revision, so nothing reaches a parent and the caller's work is not lost.
                logger.info("New page %r starts as a draft until a physician approves it", self.slug)
                self.live = False
                self.has_unpublished_changes = True
            elif not self._already_live_with(self.live_revision_id):
                # Only a revision going live now is checked: one already live passed the gate when
                # it went live (and a translation stays live, flagged, once its source moves on).
                check_revision(self, self.live_revision_id, road="save")
        result = super().save(*args, **kwargs)
        if keeps_live_revision:
            self._restore_live_content()
        return result

    def _restore_live_content(self):
        """Write the live revision's content back into the page's rows (children included), keeping
        what this save said about drafts; the instance in memory keeps the new text, so a revision
        made of it next (as wagtail-localize does) still holds the translator's work."""
        restored = self.live_revision.as_object()
        if restored.serializable_data() == self.serializable_data():
            return
        restored._restoring_live_content = True
        restored.latest_revision_id = self.latest_revision_id
        restored.draft_title = self.draft_title
        restored.has_unpublished_changes = True
        restored.live, restored.live_revision_id = True, self.live_revision_id
        restored.save(clean=False)
        logger.warning("Page %s kept its approved live content; the new text waits for review", self.pk)

    def _already_live_with(self, revision_id):
        if self._state.adding or not revision_id:
            return False
        return Page.objects.filter(pk=self.pk, live=True, live_revision_id=revision_id).exists()

    def get_workflow(self):
        # Whatever tree the page sits in (the demo loader builds it after migrations), it is
        # reviewed by the physicians' workflow: Wagtail's default workflow on the root page would
        # otherwise win. Only if an administrator deactivates it does the tree's workflow apply.
        from .workflows import medical_review_workflow

        return medical_review_workflow() or super().get_workflow()


class ArticleIndexPage(Page):
    """Lists articles, filterable by life stage and topic."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = page_search_fields(SegmentedSearchField("intro"))
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("article index")

    def articles(self):
        return (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .filter(locale=self.locale)
            .select_related("physician")
            .prefetch_related("life_stages", "topics", *CARD_IMAGE_PREFETCH)
            .select_related("image")
            .order_by("-first_published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.articles()
        stage = request.GET.get("stage", "")
        topic = request.GET.get("topic", "")
        if stage in LifeStageChoice.values:
            articles = articles.filter(life_stages__code=stage)
        else:
            stage = ""
        source_topics = Topic.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        selected_topic = source_topics.filter(slug=topic).first() if topic and len(topic) <= 60 else None
        if selected_topic:
            articles = articles.filter(topics=selected_topic)
        context.update(
            articles=paginate(articles, request.GET.get("page")),
            life_stages=LifeStage.objects.all(),
            topics=_with_shown_names(source_topics),
            selected_stage=stage,
            selected_topic=selected_topic,
        )
        return context


def _with_shown_names(topics):
    topics = list(topics)
    names = names_for_reader(topics)
    for topic in topics:
        topic.shown_name = names[topic.pk]
    return topics


def paginate(queryset, page_number, per_page=ARTICLES_PER_PAGE):
    """A page of results for any page parameter: junk is page 1, past the end is the last."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_number or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class ArticlePage(PhysicianApprovedMixin, Page):
    """A health article, supervised by a physician who approves each revision before it goes live."""

    summary = models.CharField(
        _("summary"),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=_(
            "Up to 120 characters. Shown in listings and used as the text of the push "
            "notification to families."
        ),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    physician = models.ForeignKey(
        Physician,
        verbose_name=_("supervising physician"),
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("The physician who supervises this article and approves each revision."),
        # The physician themselves (with their admin account), never a translation of their entry.
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    life_stages = ParentalManyToManyField(
        LifeStage,
        verbose_name=_("life stages"),
        related_name="articles",
        help_text=_("Families at these stages see this article first and are notified of it."),
    )
    topics = ParentalManyToManyField(
        Topic,
        verbose_name=_("topics"),
        related_name="articles",
        blank=True,
        # Articles are tagged with the Japanese topics; readers see their translations.
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notify_subscribers = models.BooleanField(
        _("notify subscribers"),
        default=True,
        help_text=_(
            "Send a notification to families at these life stages when this version goes live. "
            "Leave ticked for a first publication; tick again to announce an important revision."
        ),
    )
    push_text = models.CharField(
        _("push text"),
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        help_text=_("Optional. Replaces the summary as the notification text. Up to 120 characters."),
    )

    content_panels = [
        EasyJapaneseHintsPanel(heading=_("Easy Japanese check")),
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("physician"),
                FieldPanel("life_stages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Supervision and audience"),
        ),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("notify_subscribers"), FieldPanel("push_text")],
            heading=_("Notification to families"),
        ),
    ]

    search_fields = page_search_fields(
        SegmentedSearchField("summary", boost=2),
        SegmentedSearchField("body"),
        index.RelatedFields("topics", [SegmentedSearchField("name")]),
        title_boost=3,
    )

    api_fields = [
        APIField("summary"),
        APIField("body"),
        APIField("life_stage_codes"),
        APIField("physician", serializer=PhysicianSerializer()),
        APIField("topics", serializer=TopicSerializer(many=True)),
        APIField("image_thumbnail", serializer=ImageRenditionField("fill-640x360", source="image")),
        APIField("last_reviewed_on"),
        APIField("next_review_due"),
        APIField("review_overdue"),
        APIField("translation_out_of_date"),
    ]

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def life_stage_codes(self):
        return [stage.code for stage in self.life_stages.all()]

    def requires_physician_approval(self):
        return True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["approval"] = self.live_approval
        return context

    def serve(self, request, *args, **kwargs):
        from measurement.middleware import mark_article

        # Marked for the view count, which also counts copies served from the page cache.
        return mark_article(super().serve(request, *args, **kwargs), self, request)


# The physician review task lives in its own module; re-exported so Django registers the model.
from .workflows import PhysicianReviewTask  # noqa: E402

__all__ = [
    "ArticleApproval",
    "ArticleIndexPage",
    "ArticlePage",
    "LifeStage",
    "MedicalReviewer",
    "Physician",
    "PhysicianApprovedMixin",
    "PhysicianReviewTask",
    "ReviewReminder",
    "Topic",
    "TranslatedViewRestriction",
]

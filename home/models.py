"""The home page and the site-wide settings every template reads."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from articles.models import CARD_IMAGE_PREFETCH, ArticleIndexPage, ArticlePage, LifeStage
from articles.search import SegmentedSearchField, page_search_fields

LATEST_ARTICLES = 6


class HomePage(Page):
    """The front door: leads families by life stage to the articles that concern them."""

    lead = models.CharField(_("lead"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("intro")]
    search_fields = page_search_fields(SegmentedSearchField("lead"))

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def article_index(self):
        return ArticleIndexPage.objects.live().child_of(self).first()

    def latest_articles(self):
        return (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("physician", "image")
            .prefetch_related("life_stages", *CARD_IMAGE_PREFETCH)
            .order_by("-first_published_at", "-pk")[:LATEST_ARTICLES]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            article_index=self.article_index(),
            latest_articles=self.latest_articles(),
            life_stages=LifeStage.objects.all(),
        )
        context.update(self.campaign_context())
        return context

    def campaign_context(self):
        """The running campaign's banner and its featured articles, which lead the home page."""
        from campaigns.models import running_campaign

        campaign = running_campaign(self)
        if campaign is None:
            return {"campaign": None, "campaign_articles": []}
        featured = list(campaign.leading_articles())
        featured_ids = {article.pk for article in featured}
        return {
            "campaign": campaign,
            "campaign_articles": featured,
            "latest_articles": [a for a in self.latest_articles() if a.pk not in featured_ids],
        }


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    city_name = models.CharField(_("city name"), max_length=60, default="上尾市")
    service_name = models.CharField(_("service name"), max_length=80, default="おやこハブ")
    line_account_url = models.URLField(_("LINE official account link"), blank=True)
    app_url_ios = models.URLField(_("handbook app (App Store)"), blank=True)
    app_url_android = models.URLField(_("handbook app (Google Play)"), blank=True)
    contact_text = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Shown in the footer, for example the child-rearing support desk and its phone number."),
    )

    panels = [
        FieldPanel("city_name"),
        FieldPanel("service_name"),
        FieldPanel("line_account_url"),
        FieldPanel("app_url_ios"),
        FieldPanel("app_url_android"),
        FieldPanel("contact_text"),
    ]

    class Meta:
        verbose_name = _("site settings")

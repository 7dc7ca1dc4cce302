"""A sample Children-First Month campaign for the demo site (fiction, marked as sample)."""

import datetime

from dateutil.relativedelta import relativedelta

from django.conf import settings
from django.utils import timezone

from articles.enums import Specialty
from articles.models import ArticlePage, Physician

from .models import CampaignEvent, CampaignIndexPage, CampaignPage, PlannedPush
from .presets import preset_rhythm

FEATURED_SLUGS = ("starting-weaning", "where-to-ask")


def campaign_year(today):
    """The May to come: this year's until May is over, next year's after."""
    return today.year if today.month <= 5 else today.year + 1


def load_demo_campaign(home, user, today, report):
    """The campaign index and next May's campaign, with an event and the preset push plan."""
    index = CampaignIndexPage.objects.child_of(home).first()
    report.count("Campaign index pages", index is None)
    if index is None:
        index = CampaignIndexPage(title="キャンペーン", slug="campaigns")
        home.add_child(instance=index)
        index.save_revision(user=user).publish(user=user, skip_permission_checks=True)

    year = campaign_year(today)
    slug = f"kodomo-mannaka-{year}"
    campaign = CampaignPage.objects.child_of(index).filter(slug=slug).first()
    report.count("Campaigns", campaign is None)
    if campaign is not None:
        return campaign

    start, end = datetime.date(year, 5, 1), datetime.date(year, 5, 31)
    campaign = CampaignPage(
        physician=Physician.objects.filter(specialty=Specialty.PAEDIATRICS).order_by("pk").first(),
        title=f"【サンプル】こどもまんなか月間 {year}",
        slug=slug,
        theme="【サンプル】家族みんなで、こどものまんなかへ。デモ用の架空のキャンペーンです。",
        start_date=start,
        end_date=end,
    )
    event_start = timezone.make_aware(datetime.datetime(year, 5, 16, 10, 0))
    campaign.events.add(
        CampaignEvent(
            name="【サンプル】おやこ ふれあいフェスタ",
            starts_at=event_start,
            ends_at=event_start + datetime.timedelta(hours=5),
            venue="上尾運動公園（架空の催し）",
            address="埼玉県上尾市（サンプル）",
            what_to_bring="帽子、水筒、レジャーシート",
            accessibility="ベビーカーで回れる順路と授乳・おむつ替えのテントを用意します（サンプル）。",
            how_to_join="申し込み不要。当日会場へお越しください（サンプル）。",
        )
    )
    # The Japanese originals: translations share their slugs.
    featured = list(ArticlePage.objects.live().filter(slug__in=FEATURED_SLUGS, locale=home.locale_id))
    campaign.featured_articles.set(featured)
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(0, 0)))
    events = list(campaign.events.all())
    for order, push in enumerate(
        preset_rhythm(title=campaign.title, start_date=start, end_date=end, events=events, now=now)
    ):
        campaign.planned_pushes.add(
            PlannedPush(
                send_at=push.send_at, text=push.text[:120], sort_order=order, life_stages=[], languages=[]
            )
        )
    index.add_child(instance=campaign)
    # Its physician approves the campaign, the way the loader approves the demo articles.
    from articles.demo.loader import _publish_approved

    interval = relativedelta(months=settings.ARTICLES_REVIEW_INTERVAL_MONTHS)
    _publish_approved(campaign, user, today, interval)
    return campaign

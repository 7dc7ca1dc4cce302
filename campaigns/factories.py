"""Factories for campaign pages (sample content, fiction)."""

import datetime

import factory
import wagtail_factories

from articles.factories import PhysicianFactory

from .models import CampaignIndexPage, CampaignPage


class CampaignIndexPageFactory(wagtail_factories.PageFactory):
    title = "キャンペーン"
    slug = "campaigns"

    class Meta:
        model = CampaignIndexPage


class CampaignPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"【サンプル】こどもまんなか月間 {n}")
    theme = "【サンプル】家族みんなで、こどものまんなかへ。"
    start_date = datetime.date(2027, 5, 1)
    end_date = datetime.date(2027, 5, 31)
    physician = factory.SubFactory(PhysicianFactory)
    live = False

    class Meta:
        model = CampaignPage

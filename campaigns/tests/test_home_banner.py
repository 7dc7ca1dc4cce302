"""The running campaign on the home page (home.models.HomePage.campaign_context)."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup

from .conftest import tokyo

pytestmark = pytest.mark.django_db


def home_soup(client):
    response = client.get("/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_running_campaign_shows_its_banner_and_its_articles_lead(client, make_campaign, make_article):
    newest = make_article(title="【サンプル】最新の記事")
    featured = make_article(title="【サンプル】特集記事")
    newest.first_published_at = featured.first_published_at + datetime.timedelta(days=1)
    newest.save()
    campaign = make_campaign(featured=[featured])

    with time_machine.travel(tokyo(2027, 5, 10, 12), tick=False):
        soup = home_soup(client)

    banner = soup.select_one(".campaign-banner")
    assert banner is not None
    assert campaign.title in banner.get_text()
    card_titles = [title.get_text(strip=True) for title in soup.select(".card__title")]
    assert card_titles.index("【サンプル】特集記事") < card_titles.index("【サンプル】最新の記事")
    assert card_titles.count("【サンプル】特集記事") == 1


@pytest.mark.parametrize("day", [tokyo(2027, 4, 30, 23, 59), tokyo(2027, 6, 1, 0, 0)])
def test_no_banner_outside_the_campaign_period(client, make_campaign, day):
    make_campaign()

    with time_machine.travel(day, tick=False):
        soup = home_soup(client)

    assert soup.select_one(".campaign-banner") is None


def test_unpublished_campaign_shows_no_banner(client, make_campaign):
    make_campaign(publish=False)

    with time_machine.travel(tokyo(2027, 5, 10, 12), tick=False):
        soup = home_soup(client)

    assert soup.select_one(".campaign-banner") is None


def test_campaign_page_shows_events_with_access_details(client, make_campaign):
    from campaigns.models import CampaignEvent

    campaign = make_campaign(
        events=[
            CampaignEvent(
                name="【サンプル】公園フェスタ",
                starts_at=tokyo(2027, 5, 16, 10),
                venue="【サンプル】中央公園",
                address="【サンプル】上尾市本町1-1",
                map_url="https://example.jp/map",
                accessibility="【サンプル】段差なしの経路あり",
            )
        ]
    )

    response = client.get(campaign.url)

    soup = BeautifulSoup(response.content, "html.parser")
    event = soup.select_one(".campaign-event")
    assert "【サンプル】公園フェスタ" in event.get_text()
    assert "【サンプル】段差なしの経路あり" in event.get_text()
    assert event.select_one('a[href="https://example.jp/map"]') is not None

import datetime

import pytest

from guidance.tests.conftest import (  # noqa: F401
    administrator,
    approved,
    approved_crisis_reply,
    bot,
    editor,
    english,
    line_server,
    other_physician,
    physician,
)


@pytest.fixture
def services(db):
    """A counselling service open on weekdays 9–17 and a consultation service open all hours."""
    from guidance.factories import ConsultationServiceFactory, weekday_service

    counselling = weekday_service(
        name="【サンプル】産後こころのカウンセリング",
        phone="0120-000-111",
        web_url="https://example.jp/sample-counselling",
    )
    consultation = ConsultationServiceFactory(
        name="【サンプル】オンライン相談", all_hours=True, web_url="https://example.jp/sample-online"
    )
    return counselling, consultation


@pytest.fixture
def bands(services, make_article):
    """The default bands with their services and, for band 1, two approved articles and one draft."""
    from articles.factories import ArticlePageFactory
    from screening.models import ScoreBand

    counselling, consultation = services
    first = make_article(title="【サンプル】ぐっすり眠るための工夫")
    second = make_article(title="【サンプル】ひと息つく時間のつくりかた")
    draft = ArticlePageFactory(parent=first.get_parent(), title="【サンプル】下書きの記事")
    ScoreBand.objects.filter(level=1).update(article_1=first, article_2=draft, article_3=second)
    ScoreBand.objects.filter(level=2).update(service=consultation)
    ScoreBand.objects.filter(level__in=[3, 4]).update(service=counselling)
    return {band.level: band for band in ScoreBand.objects.all()}


@pytest.fixture
def instrument(approved, other_physician):  # noqa: F811
    """The Japanese instrument, written by the editor and approved by the physician."""
    from screening.factories import instrument as make

    return approved(make("ja"))


@pytest.fixture
def ready(instrument, bands, approved_crisis_reply):  # noqa: F811
    return instrument


@pytest.fixture
def monday_morning(monkeypatch):
    """Now is Monday 7 December 2026, 10:00 in Tokyo (the counselling service is open)."""
    import time_machine

    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9))),
        tick=True,
    ):
        yield

"""What parents did not find: masked, grouped by SudachiPy words, shown from 5 a month."""

import datetime

import pytest
import time_machine

from django.utils import timezone

from guidance.models import UnansweredQuestion
from measurement import tasks, topics
from measurement.models import NotFoundQuery, NotFoundSource
from notifications.kpi import FISCAL_TZ

pytestmark = pytest.mark.django_db
MAY = datetime.datetime(2026, 5, 10, 12, tzinfo=FISCAL_TZ)
JUNE = datetime.datetime(2026, 6, 10, 12, tzinfo=FISCAL_TZ)


def _month(moment):
    start = moment.replace(day=1, hour=0)
    return start, (start + datetime.timedelta(days=32)).replace(day=1)


def test_variants_of_one_question_are_one_topic():
    assert topics.topic_of("離乳食はいつから？") == topics.topic_of("いつから離乳食")
    assert topics.topic_of("ｱｶﾁｬﾝの夜泣き") == topics.topic_of("赤ちゃん 夜泣き")


def test_phone_numbers_and_email_addresses_are_masked_before_anything_is_kept():
    row = topics.record(NotFoundSource.SEARCH, "090-1234-5678 taro@example.com 夜泣き", "ja")
    assert "090" not in row.text and "example.com" not in row.text
    assert "090" not in row.topic and "example" not in row.topic
    assert row.topic == "夜泣き"


def test_a_topic_is_shown_only_from_five_a_month_and_top_twenty():
    for _n in range(5):
        topics.record(NotFoundSource.SEARCH, "離乳食はいつから", "ja", asked_at=MAY)
    for _n in range(4):
        topics.record(NotFoundSource.BOT, "夜泣きがひどい", "ja", asked_at=MAY)
    topics.record(NotFoundSource.BOT, "夜泣きがひどい", "ja", asked_at=JUNE)  # another month
    for index in range(25):
        for _n in range(6):
            topics.record(NotFoundSource.SEARCH, f"保育園{index}号", "ja", asked_at=JUNE)

    may = topics.monthly_topics(*_month(MAY))
    [(_month_start, shown)] = may.items()
    assert [(t.topic, t.count) for t in shown] == [("離乳食", 5)]  # 夜泣き: 4 in May, not shown
    june = topics.monthly_topics(*_month(JUNE))
    assert len(next(iter(june.values()))) == 20
    assert all(t.topic != "夜泣き" for t in next(iter(june.values())))


def test_unanswered_bot_questions_join_the_topics():
    UnansweredQuestion.objects.create(text="予防接種の予約はどこ", language="ja")
    row = NotFoundQuery.objects.get()
    assert row.source == NotFoundSource.BOT
    assert "予防接種" in row.topic


def test_raw_queries_are_erased_after_30_days_and_the_topic_stays():
    topics.record(NotFoundSource.SEARCH, "離乳食はいつから", "ja", asked_at=MAY)
    topics.record(NotFoundSource.SEARCH, "夜泣き", "ja", asked_at=JUNE)
    with time_machine.travel(MAY + datetime.timedelta(days=31)):
        assert tasks.purge_raw_queries() == 1
    erased, kept = NotFoundQuery.objects.order_by("asked_at")
    assert erased.text == "" and erased.topic == "離乳食"
    assert kept.text == "夜泣き"


def test_site_search_that_finds_nothing_is_recorded_and_a_crisis_query_never(client, settings, monkeypatch):
    settings.PAGECACHE_ENABLED = True
    from guidance import crisis

    client.get("/search/", {"q": "保育園の空き状況"})
    client.get("/search/", {"q": "保育園の空き状況"})  # from the page cache: counted too
    assert NotFoundQuery.objects.filter(source=NotFoundSource.SEARCH).count() == 2
    assert "保育園" in NotFoundQuery.objects.first().topic

    monkeypatch.setattr(crisis, "message_is_crisis", lambda text: True)
    client.get("/search/", {"q": "もう消えたい"})
    assert NotFoundQuery.objects.count() == 2
    assert not NotFoundQuery.objects.filter(text__contains="消えたい").exists()
    assert timezone.now()  # keep the import meaningful

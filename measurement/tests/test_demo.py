"""The demo's measurement rows: a month of pushes with LINE's figures and clicks, and not-found
questions with two topics over the threshold; loading twice creates nothing new."""

import datetime
from collections import Counter

import pytest

from measurement import topics
from measurement.demo import load_demo_measurement
from measurement.models import InsightReading, LinkClick, NotFoundQuery
from notifications.models import Notification

pytestmark = pytest.mark.django_db


class Report:
    def __init__(self):
        self.counts = Counter()

    def count(self, kind, created):
        self.counts[kind] += bool(created)


class Context:
    def __init__(self):
        self.today = datetime.date.today()
        self.report = Report()


def test_the_demo_has_pushes_with_figures_and_topics_and_loads_once(new_article, publish):
    for n in range(3):
        publish(new_article(notify_subscribers=False, title=f"【サンプル】記事{n}"))
    load_demo_measurement(Context())
    counts = (Notification.objects.count(), InsightReading.objects.count(), LinkClick.objects.count())
    assert counts[0] == 3 and counts[1] == 3 and counts[2] > 0
    assert InsightReading.objects.filter(unique_impressions__isnull=False).exists()

    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=40)
    shown = [
        t
        for month in topics.monthly_topics(start, datetime.datetime.now(datetime.UTC)).values()
        for t in month
    ]
    assert len(shown) >= 2
    queries = NotFoundQuery.objects.count()

    load_demo_measurement(Context())
    assert (Notification.objects.count(), InsightReading.objects.count(), LinkClick.objects.count()) == counts
    assert NotFoundQuery.objects.count() == queries

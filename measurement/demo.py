"""Demo measurement rows for "a city after a real month": LINE's figures and clicks for the demo's
pushes already sent, and some questions parents asked that found nothing (fiction, idempotent:
loading twice creates nothing new)."""

import datetime

from django.utils import timezone

from wagtail import hooks

from notifications.kpi import FISCAL_TZ

from . import topics
from .models import InsightReading, LinkClick, NotFoundQuery, NotFoundSource, TrackedLink

# (what was asked, how many times this month, where): two topics reach the threshold of 5.
DEMO_QUERIES = [
    ("保育園の空き状況を知りたい", 7, NotFoundSource.SEARCH),
    ("離乳食 アレルギー 相談", 5, NotFoundSource.BOT),
    ("双子のベビーカー", 3, NotFoundSource.SEARCH),
    ("夜間の小児科", 2, NotFoundSource.BOT),
]


def _demo_insight(notification, day, report):
    from notifications.models import Batch

    reached = sum(
        Batch.objects.filter(notification=notification, accepted_at__isnull=False).values_list(
            "recipient_count", flat=True
        )
    )
    opened, clicked = reached * 58 // 100, reached * 21 // 100
    _reading, created = InsightReading.objects.get_or_create(
        notification=notification,
        defaults={
            "unique_impressions": opened if opened >= 20 else None,
            "unique_clicks": clicked if clicked >= 20 else None,
            "period_from": day,
            "period_to": day,
        },
    )
    report.count("LINE insight readings", created)
    link, _created = TrackedLink.objects.get_or_create(
        source=notification.source,
        target=notification.page.full_url
        if notification.page_id and notification.page.full_url
        else "http://127.0.0.1:8000/",
        defaults={"notification": notification},
    )
    if not link.clicks.exists():
        moment = notification.first_accepted_at + datetime.timedelta(hours=1)
        LinkClick.objects.bulk_create([LinkClick(link=link, clicked_at=moment)] * max(clicked, 6))
        report.count("Link clicks", True)


@hooks.register("oyako_demo_content")
def load_demo_measurement(context):
    from notifications.models import Notification

    for notification in Notification.objects.filter(first_accepted_at__isnull=False).select_related("page"):
        _demo_insight(
            notification, notification.first_accepted_at.astimezone(FISCAL_TZ).date(), context.report
        )
    now = timezone.now()
    month_start = now.astimezone(FISCAL_TZ).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for text, times, source in DEMO_QUERIES:
        topic = topics.topic_of(text)
        have = NotFoundQuery.objects.filter(topic=topic, source=source, asked_at__gte=month_start).count()
        for n in range(have, times):
            topics.record(source, text, "ja", asked_at=now - datetime.timedelta(hours=n + 1))
        context.report.count("Questions that found nothing", have < times)

"""Demo measurement rows for "a city after a real month": a month of pushes already sent (the demo
publishes its articles without a push, so their history is written here as the push log would hold
it), LINE's figures and clicks for them, and questions parents asked that found nothing (fiction,
idempotent: loading twice creates nothing new)."""

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


# Days ago, families reached: a push every few days over the last month.
DEMO_PUSHES = [(27, 412), (22, 398), (18, 405), (13, 377), (9, 420), (4, 431), (1, 16)]


def _demo_push_history(context):
    """Sent pushes of the demo's live articles, one per (article, day), as the pipeline records them."""
    from articles.models import ArticlePage
    from notifications.models import Batch, BatchStatus, Notification, NotificationStatus

    articles = list(
        ArticlePage.objects.live().filter(locale__language_code="ja").order_by("pk")[: len(DEMO_PUSHES)]
    )
    for (days_ago, reached), page in zip(DEMO_PUSHES, articles, strict=False):
        day = context.today - datetime.timedelta(days=days_ago)
        moment = datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=FISCAL_TZ)
        notification, created = Notification.objects.get_or_create(
            source=f"demo:push:{page.pk}:{day:%Y%m%d}",
            defaults={
                "page": page,
                "revision_id": page.live_revision_id,
                "title": page.title,
                "text": page.summary,
                "status": NotificationStatus.SENT,
                "planned_at": moment,
                "first_accepted_at": moment,
                "finished_at": moment,
            },
        )
        if created:
            Notification.objects.filter(pk=notification.pk).update(created_at=moment)
            Batch.objects.create(
                notification=notification,
                channel="line",
                language="ja",
                content_language="ja",
                index=0,
                recipient_count=reached,
                status=BatchStatus.ACCEPTED,
                accepted_at=moment,
            )
        context.report.count("Demo pushes sent", created)


@hooks.register("oyako_demo_content")
def load_demo_measurement(context):
    from notifications.models import Notification

    _demo_push_history(context)

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

"""A believable past quarter of families and pushes for the demo (development only): sample LINE
followers and app devices across life stages and languages, and three article pushes with their
batches and delivery results, as the sending would have left them.

Loaded only where the demo users are (``DEMO_USERS_ALLOWED``), so no sample family ever exists in
a real city's database. Sample identifiers start with ``Udemo`` / ``demo-token-``, are never sent
to (nothing is queued: the rows record pushes that already went out), and loading twice creates
nothing new.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import AppDevice, Batch, BatchStatus, Channel, LineFollower, Notification, NotificationStatus

# (life stage, language, LINE followers, app devices): 60 families over the six stages and four
# languages, most of them Japanese, as in a city of 230,000.
FAMILIES = [
    ("pregnancy_early", "ja", 5, 2),
    ("pregnancy_mid", "ja", 6, 2),
    ("pregnancy_late", "ja", 5, 1),
    ("postpartum", "ja", 6, 2),
    ("age_0_1", "ja", 9, 3),
    ("age_1_3", "ja", 7, 2),
    ("age_3_6", "ja", 5, 1),
    ("age_0_1", "ja-x-easy", 2, 0),
    ("age_1_3", "en", 2, 1),
    ("pregnancy_mid", "vi", 1, 0),
    ("age_0_1", "zh-hans", 1, 0),
    ("age_3_6", "pt-br", 1, 0),
]
# (article slug, days before today, life stages): pushes over the past quarter.
PUSHES = [
    ("baby-fever", 75, ["age_0_1", "age_1_3"]),
    ("vaccination-schedule", 40, ["age_0_1"]),
    ("postpartum-mood", 12, ["postpartum", "age_0_1"]),
]


def load_demo_followers(today, report):
    """The sample families, created through the subscriber models (one place to adapt when
    families become households): ``{(stage, language): [followers and devices]}``."""
    families = {}
    number = 0
    for stage, language, followers, devices in FAMILIES:
        for kind, count in (("line", followers), ("app", devices)):
            for _n in range(count):
                number += 1
                joined = timezone.make_aware(
                    datetime.datetime.combine(
                        today - datetime.timedelta(days=5 + (number * 7) % 85), datetime.time(20)
                    )
                )
                if kind == "line":
                    subscriber, created = LineFollower.objects.get_or_create(
                        line_user_id=f"Udemo{number:028x}",
                        defaults={
                            "language": language,
                            "language_chosen": language != "ja",
                            "followed_at": joined,
                        },
                    )
                else:
                    subscriber, created = AppDevice.objects.get_or_create(
                        token=f"demo-token-{number:04d}",
                        defaults={"language": language, "platform": "ios" if number % 2 else "android"},
                    )
                if created:
                    subscriber.set_life_stage(life_stage=stage)
                    subscriber.save()
                    # Joined over the past quarter, not all at once today.
                    type(subscriber).objects.filter(pk=subscriber.pk).update(created_at=joined)
                report.count("Sample families (LINE followers and app devices)", created)
                families.setdefault((stage, language), []).append(subscriber)
    return families


def load_demo_pushes(families, today, report):
    """Pushes that went out over the past quarter: one accepted batch per channel and language,
    recorded (not sent: the demo has no LINE channel), so the push log and the KPI show them."""
    from articles.models import ArticlePage

    for slug, days_ago, stages in PUSHES:
        page = (
            ArticlePage.objects.live().filter(slug=slug, locale__language_code=settings.LANGUAGE_CODE).first()
        )
        if page is None:
            continue
        # The source an approval's publish gives (notifications.signal_handlers).
        source = f"article:{page.pk}:rev:{page.live_revision_id}"
        sent_at = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(18, 30))
        )
        notification, created = Notification.objects.get_or_create(
            source=source,
            defaults={
                "page": page,
                "revision_id": page.live_revision_id,
                "title": page.title,
                "text": page.summary,
                "life_stages": stages,
                "status": NotificationStatus.SENT,
                "planned_at": sent_at,
                "first_accepted_at": sent_at,
                "finished_at": sent_at + datetime.timedelta(seconds=4),
            },
        )
        report.count("Sample pushes", created)
        if not created:
            continue
        Notification.objects.filter(pk=notification.pk).update(
            created_at=sent_at - datetime.timedelta(seconds=2)
        )
        by_batch = {}
        for (stage, language), subscribers in families.items():
            if stage not in stages:
                continue
            for subscriber in subscribers:
                channel = Channel.LINE if isinstance(subscriber, LineFollower) else Channel.FCM
                by_batch.setdefault((channel, language), []).append(subscriber.pk)
        for (channel, language), recipients in sorted(by_batch.items()):
            Batch.objects.create(
                notification=notification,
                channel=channel,
                language=language,
                # Words in やさしい日本語 or Japanese where the article has no approved translation.
                content_language=language if language in {"ja", "ja-x-easy", "en"} else "ja",
                index=0,
                recipients=recipients,
                recipient_count=len(recipients),
                status=BatchStatus.ACCEPTED,
                attempts=1,
                accepted_at=sent_at,
                recorded=True,
            )


def load_demo_notifications(context):
    """The ``oyako_demo_content`` hook (registered in wagtail_hooks)."""
    if not context.users:
        context.report.notes.append("Sample families and pushes skipped: no demo users in these settings.")
        return
    families = load_demo_followers(context.today, context.report)
    load_demo_pushes(families, context.today, context.report)

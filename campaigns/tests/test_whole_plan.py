"""A May campaign's whole plan, run by the beat task from April 30 to June 1 through the real pipeline.

The push pipeline (``notifications.services.issue`` and ``notifications.tasks.send_notification``)
sends through line-bot-sdk and firebase-admin to the local fake LINE and FCM servers. The clock is
moved with time-machine; the beat task runs every 30 minutes of campaign time, except while the
"worker is down".
"""

import datetime
import json

import pytest
import time_machine

from django.core import mail

from campaigns.enums import DispatchStatus
from campaigns.models import CampaignEvent, CampaignPage, PlannedPush, PushDispatch
from campaigns.presets import PresetEvent, preset_rhythm
from campaigns.report import campaign_report
from campaigns.services import confirm_late_push

from .conftest import approve, tokyo

pytest.importorskip("notifications.services", reason="the push pipeline (issue 4) has not landed")
pytest.importorskip("tests.fakes.fixtures", reason="the fake LINE and FCM servers have not landed")

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

TICK = datetime.timedelta(minutes=30)
FESTA = tokyo(2027, 5, 15, 10)
# The worker is down twice: long enough once for a push to be held, briefly once.
LONG_OUTAGE = (tokyo(2027, 5, 18, 18), tokyo(2027, 5, 19, 3))  # the 18 May 19:00 push is 8 h late
SHORT_OUTAGE = (tokyo(2027, 5, 21, 18, 30), tokyo(2027, 5, 21, 21))  # the 21 May 19:00 push, 2 h late
SKIPPED_AT = tokyo(2027, 5, 21, 12)  # links to an article unpublished on 20 May
EDITED_AT = tokyo(2027, 5, 25, 19)  # its text is edited on 24 May


def in_outage(now):
    return any(start <= now < end for start, end in (LONG_OUTAGE, SHORT_OUTAGE))


@pytest.fixture
def subscribers(db):
    from notifications.models import AppDevice, LineFollower

    followers = [
        LineFollower.objects.create(
            line_user_id=f"U{index:032x}", language="ja", followed_at=tokyo(2027, 4, 1)
        )
        for index in range(3)
    ]
    devices = [
        AppDevice.objects.create(token=f"sample-fcm-token-{index}", platform="android", language="ja")
        for index in range(2)
    ]
    return followers, devices


def run_worker(sent_ids, send_notification):
    """Run the send tasks queued so far, as a worker would; what they re-queue runs on the next tick."""
    batch = list(sent_ids)
    sent_ids.clear()
    for pk in batch:
        send_notification(pk)


def test_may_campaign_plan_runs_once_each_at_its_time(
    make_campaign,
    make_article,
    subscribers,
    line_server,
    fcm_server,
    monkeypatch,
    django_capture_on_commit_callbacks,
    run_email_tasks_inline,
):
    from notifications import kpi
    from notifications.models import Notification
    from notifications.tasks import send_notification

    queued = []
    monkeypatch.setattr(send_notification, "delay", lambda pk, *a, **k: queued.append(pk))
    monkeypatch.setattr(
        send_notification, "delay_on_commit", lambda pk, *a, **k: queued.append(pk), raising=False
    )

    with time_machine.travel(tokyo(2027, 4, 20, 10), tick=False):
        lasting = make_article(title="【サンプル】特集記事（サンプル）")
        withdrawn = make_article(title="【サンプル】取り下げられる記事（サンプル）")
        plan = preset_rhythm(
            title="【サンプル】こどもまんなか月間",
            start_date=datetime.date(2027, 5, 1),
            end_date=datetime.date(2027, 5, 31),
            events=[
                PresetEvent(name="【サンプル】公園フェスタ", starts_at=FESTA, venue="【サンプル】中央公園")
            ],
        )
        pushes = [{"send_at": p.send_at, "text": p.text[:120]} for p in plan]
        pushes.append(
            {"send_at": SKIPPED_AT, "text": "【サンプル】取り下げ記事の案内", "target_article": withdrawn}
        )
        pushes.append(
            {
                "send_at": tokyo(2027, 5, 22, 12),
                "text": "【サンプル】特集記事の案内",
                "target_article": lasting,
                "life_stages": ["age_0_1"],
                "languages": ["ja"],
            }
        )
        campaign = make_campaign(
            pushes=pushes,
            featured=[lasting, withdrawn],
            events=[
                CampaignEvent(
                    name="【サンプル】公園フェスタ",
                    starts_at=FESTA,
                    venue="【サンプル】中央公園",
                    address="【サンプル】上尾市本町1-1",
                )
            ],
        )
    planned_times = sorted(item.send_at for item in campaign.planned_pushes.all())
    assert planned_times[0] >= tokyo(2027, 5, 1) and planned_times[-1] < tokyo(2027, 6, 1)

    now = tokyo(2027, 4, 30)
    first_seen = {}
    while now <= tokyo(2027, 6, 1):
        with time_machine.travel(now, tick=False):
            if now == tokyo(2027, 5, 20, 9):
                withdrawn.unpublish()
            if now == tokyo(2027, 5, 24, 9):
                # An editor changes one push's text; the new revision goes live before its time.
                draft = CampaignPage.objects.get(pk=campaign.pk).get_latest_revision_as_object()
                items = list(draft.planned_pushes.all())
                for item in items:
                    if item.send_at == EDITED_AT:
                        item.text = "【サンプル】編集した最終週のお知らせ"
                draft.planned_pushes = items
                revision = draft.save_revision()
                approve(revision, draft.physician)  # its physician reviews the new words
                revision.publish()
            if now == tokyo(2027, 5, 19, 9):
                held = PushDispatch.objects.get(status=DispatchStatus.AWAITING_CONFIRMATION)
                with django_capture_on_commit_callbacks(execute=True):
                    assert confirm_late_push(held, make_campaign.editor) is True
                run_worker(queued, send_notification)
            if not in_outage(now):
                from campaigns.tasks import send_due_pushes

                with django_capture_on_commit_callbacks(execute=True):
                    send_due_pushes()
                for dispatch in PushDispatch.objects.exclude(plan_item_id__in=first_seen):
                    first_seen[dispatch.plan_item_id] = now
                run_worker(queued, send_notification)
        now += TICK

    dispatches = {d.plan_item_id: d for d in PushDispatch.objects.all()}
    items = {item.pk: item for item in PlannedPush.objects.filter(page=campaign)}
    # Every planned push was handled exactly once (one dispatch row, one outbox row per source).
    assert set(dispatches) == set(items)
    sources = list(
        Notification.objects.filter(source__startswith="campaign-push:").values_list("source", flat=True)
    )
    assert sorted(sources) == sorted(f"campaign-push:{pk}" for pk in items)

    by_time = {d.due_at: d for d in dispatches.values()}
    # On time: handed over at the first tick at or after its time, with no lateness.
    on_time = [
        d
        for d in dispatches.values()
        if d.due_at
        not in (
            LONG_OUTAGE[0] + datetime.timedelta(hours=1),
            SHORT_OUTAGE[0] + datetime.timedelta(minutes=30),
        )
    ]
    for dispatch in on_time:
        assert first_seen[dispatch.plan_item_id] == dispatch.due_at
        assert dispatch.lateness == datetime.timedelta(0)

    # The late worker: 8 h late was held and then confirmed; 2 h late went out with its lateness.
    held = by_time[tokyo(2027, 5, 18, 19)]
    assert held.confirmed_by == make_campaign.editor
    assert held.lateness == datetime.timedelta(hours=14)
    late = by_time[tokyo(2027, 5, 21, 19)]
    assert late.lateness == datetime.timedelta(hours=2)
    assert Notification.objects.get(source=late.source).lateness == datetime.timedelta(hours=2)

    # The skipped target: not sent, the push log says why, the editor was told.
    skipped = by_time[SKIPPED_AT]
    assert skipped.status == DispatchStatus.SKIPPED
    notification = Notification.objects.get(source=skipped.source)
    assert notification.status == "skipped" and notification.skip_reason
    assert any(skipped.skip_reason in message.body for message in mail.outbox)

    # The edited push went out with its edited text.
    edited = by_time[EDITED_AT]
    assert edited.text == "【サンプル】編集した最終週のお知らせ"
    line_texts = [json.dumps(body["messages"], ensure_ascii=False) for body in line_server.multicasts]
    assert any("【サンプル】編集した最終週のお知らせ" in text for text in line_texts)
    assert not any("【サンプル】取り下げ記事の案内" in text for text in line_texts)

    # Sent exactly once each; the KPI counts exactly the sent ones.
    sent = Notification.objects.filter(source__startswith="campaign-push:", status="sent")
    assert sent.count() == len(items) - 1  # all but the skipped one
    # One LINE multicast per sent push (5 followers fit in one batch), each with its own retry key.
    assert len(line_server.multicasts) == sent.count()
    assert len(line_server.accepted_keys) == sent.count()
    assert line_server.errors == [] and fcm_server.errors == []
    assert kpi.notifications_issued(2027) == sent.count()
    report = campaign_report(campaign, now=tokyo(2027, 6, 1))
    assert report["counts"]["sent"] == sent.count()
    assert report["counts"]["skipped"] == 1
    assert report["kpi"]["campaign"] == sent.count()
    assert report["recipients"]["line"] > 0 and report["recipients"]["fcm"] > 0

"""Units on every LINE multicast and the beat task reading LINE's insight, against the fake LINE
(requests and answers checked against the OpenAPI specs)."""

import datetime

import pytest
from celery.exceptions import Retry

from django.utils import timezone

from measurement import insight, tasks
from measurement.models import AggregationUnit, FollowerReading, InsightReading, TrackedLink
from notifications import services
from notifications import tasks as notification_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_requeue(monkeypatch):
    monkeypatch.setattr(notification_tasks.send_notification, "apply_async", lambda *a, **k: None)
    monkeypatch.setattr(notification_tasks.send_notification, "delay", lambda *a: None)


@pytest.fixture
def pushed(new_article, publish, followers, line_server):
    """An article push to 120 followers, sent to the fake LINE."""
    page = new_article(notify_subscribers=False)
    publish(page)
    followers(120)
    notification = services.issue(source="test:push", page=page, title=page.title, text=page.summary)
    notification_tasks.send_notification(notification.pk)
    notification.refresh_from_db()
    return notification


def _multicasts(line_server):
    return [body for _m, path, _h, body in line_server.requests if path == "/v2/bot/message/multicast"]


def test_every_multicast_names_the_notifications_unit_and_links_through_the_redirect(pushed, line_server):
    assert line_server.errors == []
    unit = AggregationUnit.objects.get(notification=pushed).name
    assert unit == f"oyako_n{pushed.pk}"
    bodies = _multicasts(line_server)
    assert bodies and all(body["customAggregationUnits"] == [unit] for body in bodies)
    uri = bodies[0]["messages"][0]["contents"]["footer"]["contents"][0]["action"]["uri"]
    link = TrackedLink.objects.get(notification=pushed)
    assert uri.endswith(f"/r/{link.token}/")
    assert link.target.endswith(pushed.page.url)


def test_past_the_monthly_unit_limit_a_push_goes_out_without_a_unit(
    new_article, publish, followers, line_server, settings
):
    settings.MEASUREMENT_LINE_UNIT_LIMIT = 0
    page = new_article(notify_subscribers=False)
    publish(page)
    followers(3)
    notification = services.issue(source="test:limit", page=page, title=page.title, text=page.summary)
    notification_tasks.send_notification(notification.pk)
    assert not AggregationUnit.objects.exists()
    assert all("customAggregationUnits" not in body for body in _multicasts(line_server))
    assert len(line_server.delivered) == 3


def test_a_unit_line_refuses_is_dropped_and_the_push_still_goes_out(
    pushed, new_article, publish, line_server
):
    line_server.unit_limit = 1  # LINE already counts this month's one unit
    page = new_article(notify_subscribers=False, title="二つ目")
    publish(page)
    second = services.issue(source="test:second", page=page, title=page.title, text=page.summary)
    notification_tasks.send_notification(second.pk)
    last = _multicasts(line_server)[-1]
    assert "customAggregationUnits" not in last
    assert sum(line_server.delivered.values()) == 240
    assert line_server.errors == []


def test_the_beat_task_keeps_figures_with_nulls_under_20_and_is_idempotent(pushed, line_server, settings):
    assert tasks.read_line_insight() == {"units": 1, "days": 7}
    reading = InsightReading.objects.get(notification=pushed)
    assert (reading.unique_impressions, reading.unique_clicks) == (72, 30)
    assert FollowerReading.objects.filter(status="ready").count() == 7

    line_server.units[f"oyako_n{pushed.pk}"] = 30  # 18 opened, 7 clicked: LINE says null
    tasks.read_line_insight()
    reading.refresh_from_db()
    assert (reading.unique_impressions, reading.unique_clicks) == (None, None)
    assert InsightReading.objects.count() == 1
    assert tasks.read_line_insight()["days"] == 0  # every day of the week read as ready
    assert line_server.errors == []
    from measurement.figures import FEWER_THAN_20, for_notifications

    figures = for_notifications([pushed.pk])[pushed.pk]
    assert figures.opened.display == str(FEWER_THAN_20)
    assert figures.opened.shown is None and figures.delivered.shown == 120


def test_a_missing_day_is_read_again_the_next_time(pushed, line_server):
    yesterday = insight.today_in_japan() - datetime.timedelta(days=1)
    line_server.unready_days.add(yesterday.strftime("%Y%m%d"))
    tasks.read_line_insight()
    assert FollowerReading.objects.get(date=yesterday).status == "unready"
    line_server.unready_days.clear()
    assert tasks.read_line_insight()["days"] == 1
    assert FollowerReading.objects.get(date=yesterday).followers == 160


@pytest.mark.parametrize("status", [429, 500, 503])
def test_line_answering_429_or_5xx_retries_and_keeps_what_was_read(pushed, line_server, status):
    tasks.read_line_insight()
    line_server.fail_next_insight(status)
    with pytest.raises((Retry, insight.Transient)):
        tasks.read_line_insight()
    assert InsightReading.objects.get(notification=pushed).unique_impressions == 72
    assert tasks.read_line_insight()["units"] == 1


def test_nothing_is_read_without_line(settings, db):
    settings.NOTIFICATIONS_BACKENDS = {
        "line": {"BACKEND": "notifications.backends.recording.RecordingBackend"}
    }
    assert tasks.read_line_insight() == {"units": 0, "days": 0}
    assert timezone.now()

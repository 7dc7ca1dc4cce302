"""A timed message is checked again when it is sent, not only when its cohort is handed over: a
linked article or a series withdrawn in between cancels the push; nothing reaches a family and
nothing counts as delivered."""

import datetime

import pytest
import time_machine

from django.test import TestCase

from milestones.enums import Moment
from milestones.kpi import timed_messages_delivered_in
from milestones.services import dispatch_due_messages
from notifications import tasks
from notifications.models import Notification, NotificationStatus

from .conftest import tokyo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture(autouse=True)
def no_requeue(monkeypatch):
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda *args, **kwargs: None)


@pytest.fixture
def article(make_article):
    from articles.models import ArticleApproval

    page = make_article(title="【サンプル】離乳食のはじめかた")
    ArticleApproval.objects.filter(page=page).update(next_review_due=datetime.date(2099, 1, 1))
    return page


@pytest.fixture
def series(make_series, article):
    return make_series([{"text": "【サンプル】5か月", "target": article, "moment": Moment.AGE, "months": 5}])


def issue_june_message(queued, follower):
    follower("U" + "a" * 32, birth_month=datetime.date(2026, 1, 1))
    with (
        time_machine.travel(tokyo(2026, 6, 1, 19), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        [dispatch] = dispatch_due_messages()
    assert queued == [dispatch.notification_id]
    return Notification.objects.get(pk=dispatch.notification_id)


def test_a_timed_message_whose_linked_article_was_withdrawn_after_it_was_issued_is_cancelled(
    series, article, follower, queued, line_server
):
    notification = issue_june_message(queued, follower)
    article.unpublish()

    with time_machine.travel(tokyo(2026, 6, 1, 19, 1), tick=False):
        tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CANCELLED
    assert line_server.multicast_alt_texts() == {}
    assert timed_messages_delivered_in(2026, 6) == 0


def test_a_timed_message_whose_series_was_withdrawn_after_it_was_issued_is_cancelled(
    series, article, follower, queued, line_server
):
    notification = issue_june_message(queued, follower)
    series.unpublish()

    with time_machine.travel(tokyo(2026, 6, 1, 19, 1), tick=False):
        tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CANCELLED
    assert series.title in notification.skip_reason
    assert line_server.multicast_alt_texts() == {}


def test_a_timed_message_whose_series_and_article_stay_live_is_delivered(
    series, article, follower, queued, line_server
):
    notification = issue_june_message(queued, follower)

    with time_machine.travel(tokyo(2026, 6, 1, 19, 1), tick=False):
        tasks.send_notification(notification.pk)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(line_server.multicast_alt_texts()) == 1

"""A campaign push is checked again when it is sent: its linked article or its campaign withdrawn
after the push was handed to the pipeline cancels it, and nothing reaches a family."""

import pytest
import time_machine

from campaigns.models import PushDispatch
from campaigns.services import dispatch_due_pushes
from notifications import kpi, tasks
from notifications.models import LineFollower, Notification, NotificationStatus

from .conftest import tokyo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

DUE = tokyo(2027, 5, 4, 19)


@pytest.fixture(autouse=True)
def no_queue(monkeypatch):
    monkeypatch.setattr(tasks.send_notification, "delay", lambda *args, **kwargs: None)
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda *args, **kwargs: None)


@pytest.fixture
def family(db):
    return LineFollower.objects.create(line_user_id="U" + "c" * 32, language="ja")


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.fixture
def campaign(make_campaign, article):
    push = {"send_at": DUE, "text": "【サンプル】お知らせ", "target_article": article}
    return make_campaign(featured=[article], pushes=[push])


def issued_notification():
    with time_machine.travel(DUE, tick=False):
        dispatch_due_pushes()
    return Notification.objects.get(pk=PushDispatch.objects.get().notification_id)


def send(notification):
    with time_machine.travel(DUE, tick=False):
        tasks.send_notification(notification.pk)
    notification.refresh_from_db()
    return notification


def test_a_campaign_push_whose_article_was_withdrawn_after_it_was_issued_is_cancelled(
    campaign, article, family, line_server
):
    notification = issued_notification()
    assert notification.status == NotificationStatus.PENDING
    article.unpublish()

    assert send(notification).status == NotificationStatus.CANCELLED
    assert line_server.multicast_alt_texts() == {}
    assert kpi.notifications_issued(2027) == 0


def test_a_campaign_push_whose_campaign_was_withdrawn_after_it_was_issued_is_cancelled(
    campaign, article, family, line_server
):
    notification = issued_notification()
    campaign.unpublish()

    notification = send(notification)
    assert notification.status == NotificationStatus.CANCELLED
    assert campaign.title in notification.skip_reason
    assert line_server.multicast_alt_texts() == {}


def test_a_campaign_push_whose_article_and_campaign_stay_live_is_sent(campaign, article, family, line_server):
    notification = issued_notification()

    assert send(notification).status == NotificationStatus.SENT
    assert list(line_server.multicast_alt_texts()) == [family.line_user_id]

"""The daily review reminder: each physician hears of their due articles, once a day."""

import datetime
from unittest import mock

import pytest

from django.core import mail
from django.utils import timezone

from articles.models import ReviewReminder
from articles.tasks import send_review_reminders

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture
def due_articles(make_article, physician, other_physician):
    today = timezone.localdate()

    def article(title, supervisor, days_until_due):
        page = make_article(title=title, physician=supervisor)
        approval = page.live_approval
        approval.next_review_due = today + datetime.timedelta(days=days_until_due)
        approval.save()
        return page

    return [
        article("期限切れの記事（サンプル）", physician, -1),
        article("まもなくの記事（サンプル）", physician, 10),
        article("まだ先の記事（サンプル）", physician, 90),
        article("別の医師の記事（サンプル）", other_physician, 5),
    ]


def test_each_physician_is_emailed_their_own_due_articles(due_articles, physician, other_physician):
    assert send_review_reminders() == 2
    by_recipient = {tuple(message.to): message.body for message in mail.outbox}
    mine = by_recipient[(physician.user.email,)]
    assert "期限切れの記事（サンプル）" in mine and "まもなくの記事（サンプル）" in mine
    assert "まだ先の記事（サンプル）" not in mine and "別の医師の記事（サンプル）" not in mine
    assert "別の医師の記事（サンプル）" in by_recipient[(other_physician.user.email,)]
    assert f"/admin/pages/{due_articles[0].pk}/edit/" in mine


def test_running_twice_on_the_same_day_emails_once(due_articles):
    send_review_reminders()
    mail.outbox.clear()
    assert send_review_reminders() == 0
    assert mail.outbox == []
    assert ReviewReminder.objects.count() == 2


def test_a_failed_send_gives_the_claim_back_so_a_retry_sends_it(due_articles):
    with mock.patch("articles.tasks.send_mail", side_effect=ConnectionRefusedError), pytest.raises(OSError):
        send_review_reminders.run()
    assert ReviewReminder.objects.count() == 0
    assert send_review_reminders() == 2


def test_a_physician_without_an_admin_account_is_skipped(make_article):
    from articles.factories import PhysicianFactory

    page = make_article(physician=PhysicianFactory())
    approval = page.live_approval
    approval.next_review_due = timezone.localdate()
    approval.save()
    assert send_review_reminders() == 0


def test_the_reminder_runs_daily_from_beat():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["articles-send-review-reminders"]
    assert entry["task"] == send_review_reminders.name

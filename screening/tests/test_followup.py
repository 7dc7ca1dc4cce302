"""The follow-up invitation: asked for after a kept check, sent once through the direct outbox weeks
later to the fake LINE, refusable, cancelled when consent is withdrawn or its words lose approval;
the check it leads to is paired with the first one."""

import datetime

import pytest
import time_machine

from django.utils import timezone

from notifications import direct, tasks
from notifications.models import DirectMessage, DirectStatus
from notifications.tests import line_bodies as lb
from screening.models import KeptResult

from .helpers import choose, run_check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox_not_queued(monkeypatch):
    monkeypatch.setattr(tasks.send_direct, "apply_async", lambda args, **options: None)


def kept_check(bot, user, answers=(2, 2, 2, 1, 1, 1, 1, 1, 0)):
    run_check(bot, user, list(answers), keep="keep")
    return KeptResult.objects.get(follows__isnull=True)


def test_the_invitation_is_sent_once_after_eight_weeks_and_leads_to_a_paired_check(bot, ready):
    user = lb.user_id()
    first = kept_check(bot, user)
    choose(bot, user, fu="yes", k=first.token)
    row = DirectMessage.objects.get()
    assert row.status == DirectStatus.PENDING
    assert row.not_before - timezone.now() > datetime.timedelta(weeks=8) - datetime.timedelta(minutes=1)
    # Asking twice records nothing more.
    assert direct.send(row.pk) is None and not bot.server.pushes  # not due yet

    with time_machine.travel(timezone.now() + datetime.timedelta(weeks=8, hours=1)):
        direct.send(row.pk)
    push = bot.server.pushes[-1]
    assert push["to"] == user and not bot.server.errors
    assert "もう一度チェックしてみませんか" in push["messages"][0]["text"]
    row.refresh_from_db()
    assert row.status == DirectStatus.SENT and row.line_user_id is None

    start = next(
        item["action"]["data"]
        for item in push["messages"][0]["quickReply"]["items"]
        if "fu=start" in item["action"]["data"]
    )
    bot.tap(start, user=user)
    choose(bot, user, c="keep")
    for answer in [1, 1, 1, 0, 0, 0, 1, 0, 0]:
        choose(bot, user, a=answer)
    follow_up = KeptResult.objects.get(follows=first)
    assert follow_up.total == 4
    # A follow-up offers no further invitation, and the old invitation's button cannot start another.
    assert "fu=yes" not in str(bot.last_reply())
    bot.tap(start, user=user)
    assert KeptResult.objects.filter(follows=first).count() == 1


def test_the_family_can_say_no_to_the_invitation(bot, ready):
    user = lb.user_id()
    first = kept_check(bot, user)
    choose(bot, user, fu="yes", k=first.token)
    choose(bot, user, fu="no", k=first.token)
    row = DirectMessage.objects.get()
    assert row.status == DirectStatus.CANCELLED


def test_a_withdrawn_consent_cancels_the_invitation(bot, ready):
    user = lb.user_id()
    first = kept_check(bot, user)
    choose(bot, user, fu="yes", k=first.token)
    bot.say("チェックの記録を消す", user=user)
    assert not KeptResult.objects.exists()
    assert DirectMessage.objects.get().status == DirectStatus.CANCELLED


def test_the_invitation_is_cancelled_at_sending_when_consent_is_gone(bot, ready):
    user = lb.user_id()
    first = kept_check(bot, user)
    choose(bot, user, fu="yes", k=first.token)
    KeptResult.objects.all().delete()  # as if withdrawn by a road that did not cancel
    with time_machine.travel(timezone.now() + datetime.timedelta(weeks=9)):
        direct.send(DirectMessage.objects.get().pk)
    row = DirectMessage.objects.get()
    assert row.status == DirectStatus.CANCELLED and row.reason == "consent withdrawn"
    assert not bot.server.pushes


def test_the_invitation_is_cancelled_at_sending_when_its_words_are_no_longer_approved(bot, ready, editor):
    user = lb.user_id()
    first = kept_check(bot, user)
    choose(bot, user, fu="yes", k=first.token)
    ready.unpublish()
    with time_machine.travel(timezone.now() + datetime.timedelta(weeks=9)):
        direct.send(DirectMessage.objects.get().pk)
    row = DirectMessage.objects.get()
    assert row.status == DirectStatus.CANCELLED and "no longer approved" in row.reason
    assert not bot.server.pushes


def test_no_invitation_without_consent_to_keep(bot, ready):
    user = lb.user_id()
    run_check(bot, user, [2] * 8 + [0], keep="none")
    assert "fu=yes" not in str(bot.last_reply())
    assert not KeptResult.objects.exists()

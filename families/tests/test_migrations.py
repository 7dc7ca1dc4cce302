"""Existing followers with one month become one-child households and keep receiving exactly what
they would have: no timed message is sent twice across the migration."""

import datetime

import pytest
import time_machine

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase

from articles.models import ArticleApproval
from milestones.enums import Moment
from milestones.services import dispatch_due_messages
from milestones.tests.conftest import tokyo
from notifications import family
from notifications.models import AppDevice, LineFollower, Notification

pytestmark = [
    pytest.mark.portable,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("latest_schema_afterwards"),
]


def run(at):
    with time_machine.travel(at, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return dispatch_due_messages()


def sent():
    """(message pk, channel, subscriber pk) for every timed notification issued."""
    return sorted(
        (int(n.source.split(":")[1]), channel, pk)
        for n in Notification.objects.filter(source__startswith="timed-message:")
        for channel, pks in (n.chosen_recipients or {}).items()
        for pk in pks
    )


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def test_one_month_followers_become_households_and_nothing_is_sent_twice(
    make_series, make_article, queued, monkeypatch
):
    article = make_article(title="【サンプル】月齢のめやす")
    ArticleApproval.objects.filter(page=article).update(next_review_due=datetime.date(2099, 1, 1))
    series = make_series(
        [
            {"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5},
            {"text": "6か月", "target": article, "moment": Moment.AGE, "months": 6},
            {"text": "予定月の3か月前", "target": article, "moment": Moment.PREGNANCY, "months": 3},
        ]
    )
    five, six, pregnancy = (
        series.messages.get(text=text).pk for text in ("5か月", "6か月", "予定月の3か月前")
    )
    migrate([("families", None)])
    with monkeypatch.context() as before:
        before.setattr(family, "provider", lambda: None)  # today's code: no households yet
        baby = LineFollower(line_user_id="U" + "a" * 32)
        baby.set_life_stage(birth_month=datetime.date(2026, 1, 1))
        baby.save()
        expecting = AppDevice(token="t" * 40, platform="android")
        expecting.set_life_stage(due_month=datetime.date(2026, 9, 1))
        expecting.save()
        LineFollower.objects.create(line_user_id="U" + "c" * 32, stage_chosen=True, life_stage="age_1_3")
        run(tokyo(2026, 6, 1, 19, 0))
    assert sent() == [(five, "line", baby.pk), (pregnancy, "fcm", expecting.pk)]

    migrate([("families", "0002_households_from_subscribers")])
    from families.models import Child

    baby.refresh_from_db()
    assert baby.birth_month is None and baby.stage_chosen
    assert Child.objects.get(household__members__follower=baby).birth_month == datetime.date(2026, 1, 1)
    assert Child.objects.get(household__members__device=expecting).due_month == datetime.date(2026, 9, 1)
    assert Child.objects.count() == 2  # the follower with a chosen stage only has no child to move

    run(tokyo(2026, 6, 2, 19, 0))  # the migrated children count as changed: looked at, not sent again
    run(tokyo(2026, 6, 20, 19, 0))
    assert sent() == [(five, "line", baby.pk), (pregnancy, "fcm", expecting.pk)]
    run(tokyo(2026, 7, 1, 19, 0))  # and what they would have received next, once
    assert sent() == [(five, "line", baby.pk), (six, "line", baby.pk), (pregnancy, "fcm", expecting.pk)]
    assert LineFollower.objects.audience(["age_0_1"]).filter(pk=baby.pk).exists()

"""A whole fiscal year of timed messages, run by the beat task through the real pipeline.

Some 300 LINE followers and app devices at mixed stages (pregnant, born, a passed due month, no
month at all), late registrants in October and a corrected birth month in July, from April 2027
to March 2028 (a leap February). The beat runs every evening; what it queues is sent through
line-bot-sdk and firebase-admin to the fake LINE and FCM servers. Every family receives each
message of the series at its month exactly once, and nothing meant for another month. The same
year with two beats racing at every tick (PostgreSQL) issues nothing twice.
"""

import dataclasses
import datetime
import json
import threading

import pytest
import time_machine

from django.db import connection, connections
from django.test import TestCase

from milestones.enums import Moment
from milestones.models import Receipt, send_moment
from milestones.services import dispatch_due_messages
from notifications.models import Notification
from notifications.models.subscribers import add_months

from .conftest import tokyo

FIRST_MONTH = datetime.date(2027, 4, 1)
MONTHS = [add_months(FIRST_MONTH, offset) for offset in range(12)]
START = tokyo(2027, 3, 31, 12)
LATE_JOIN = tokyo(2027, 10, 5, 10)
CORRECTION = tokyo(2027, 7, 2, 10)
TICK_TIME = datetime.time(21, 0)

# (label, moment, months, day of month, time): each label appears in its message's text.
MESSAGES = [
    ("P6", Moment.PREGNANCY, 6, 1, datetime.time(19)),
    ("P3", Moment.PREGNANCY, 3, 15, datetime.time(10)),
    ("P0", Moment.PREGNANCY, 0, 1, datetime.time(19)),
    ("A1", Moment.AGE, 1, 1, datetime.time(19)),
    ("A5", Moment.AGE, 5, 31, datetime.time(19)),
    ("A12", Moment.AGE, 12, 1, datetime.time(19)),
    ("A18", Moment.AGE, 18, 20, datetime.time(12, 30)),
    ("A36", Moment.AGE, 36, 29, datetime.time(19)),
]


@dataclasses.dataclass
class Family:
    channel: str
    identifier: str
    due_month: datetime.date | None = None
    birth_month: datetime.date | None = None
    joined: datetime.datetime = START
    corrected_birth_month: datetime.date | None = None
    pk: int | None = None

    def basis(self, when):
        if self.corrected_birth_month and when >= CORRECTION:
            return None, self.corrected_birth_month
        return self.due_month, self.birth_month


def families():
    """The mixed cohort: four kinds in turn, a quarter of them on the app."""
    rows = []
    for index in range(300):
        channel = "fcm" if index % 4 == 3 else "line"
        identifier = f"U{index:032x}" if channel == "line" else f"fcm-token-{index:06d}"
        kind = index % 5
        family = Family(channel, identifier)
        if kind == 0:
            family.due_month = add_months(FIRST_MONTH, index % 16)
        elif kind in (1, 2):
            family.birth_month = add_months(FIRST_MONTH, -(index % 40) - 1)
        elif kind == 3:
            family.due_month = add_months(FIRST_MONTH, -(index % 14) - 1)  # passed, birth not recorded
        rows.append(family)
    # Corrections: born in January 2027, told February in July (after June's 5-month message).
    for index in range(5):
        rows.append(
            Family(
                "line",
                f"Uc{index:031x}",
                birth_month=datetime.date(2027, 1, 1),
                corrected_birth_month=datetime.date(2027, 2, 1),
            )
        )
    # Late registrants on 5 October: a child born in September (its 1-month message was on the 1st).
    for index in range(6):
        rows.append(
            Family("line", f"Ul{index:031x}", birth_month=datetime.date(2027, 9, 1), joined=LATE_JOIN)
        )
    return rows


def reference(moment, months, cohort_month):
    return add_months(cohort_month, months if moment == Moment.PREGNANCY else -months)


def matches(family, moment, months, cohort_month, when):
    due, birth = family.basis(when)
    ref = reference(moment, months, cohort_month)
    if moment == Moment.PREGNANCY:
        return birth is None and due == ref
    return birth == ref or (birth is None and months >= 1 and due == ref)


def expected_for(family):
    """{label: cohort month} the family should receive in the year: at most once per message."""
    expected = {}
    for cohort_month in MONTHS:
        for label, moment, months, day, at in MESSAGES:
            send_at = send_moment(cohort_month, day, at)
            # The run that reaches the family: the message's day, or the first evening after joining.
            reached_at = max(send_at, family.joined)
            if reached_at.date() > add_months(cohort_month, 1) - datetime.timedelta(days=1):
                continue
            if label not in expected and matches(family, moment, months, cohort_month, reached_at):
                expected[label] = cohort_month
    return expected


def create(family):
    from notifications.models import AppDevice, LineFollower

    if family.channel == "line":
        row = LineFollower(line_user_id=family.identifier, language="ja")
    else:
        row = AppDevice(token=family.identifier, platform="android", language="ja")
    if family.due_month or family.birth_month:
        row.set_life_stage(due_month=family.due_month, birth_month=family.birth_month)
    row.save()
    family.pk = row.pk
    return row


def correct(family):
    from notifications.models import LineFollower

    row = LineFollower.objects.get(pk=family.pk)
    row.set_life_stage(birth_month=family.corrected_birth_month)
    row.save()


def run_year(make_series, article, line_server, fcm_server, queued, beat):
    """Run the year with ``beat(now)`` as the beat; returns {(channel, identifier): {label: [months]}}."""
    from notifications.tasks import send_notification

    with time_machine.travel(START, tick=False):
        make_series(
            [
                {
                    "text": f"【サンプル】{label} のメッセージ",
                    "target": article,
                    "moment": moment,
                    "months": months,
                    "day_of_month": day,
                    "send_time": at,
                }
                for label, moment, months, day, at in MESSAGES
            ]
        )
        everyone = families()
        for family in everyone:
            if family.joined == START:
                create(family)
    received = {}
    line_seen = fcm_seen = 0
    day = FIRST_MONTH
    while day < add_months(FIRST_MONTH, 12):
        now = tokyo(day.year, day.month, day.day, TICK_TIME.hour)
        with time_machine.travel(now, tick=False):
            for family in everyone:
                if family.joined.date() == day:
                    create(family)
                if family.corrected_birth_month and CORRECTION.date() == day:
                    correct(family)
            beat(now)
            pending = list(queued)
            queued.clear()
            for pk in pending:
                send_notification(pk)
        for body in line_server.multicasts[line_seen:]:
            label = _label(body["messages"])
            for user in body["to"]:
                received.setdefault(("line", user), {}).setdefault(label, []).append(month_of(day))
        for message in fcm_server.messages[fcm_seen:]:
            label = _label(message["notification"])
            received.setdefault(("fcm", message["token"]), {}).setdefault(label, []).append(month_of(day))
        line_seen, fcm_seen = len(line_server.multicasts), len(fcm_server.messages)
        day += datetime.timedelta(days=1)
    return everyone, received


def month_of(day):
    return day.replace(day=1)


def _label(payload):
    text = json.dumps(payload, ensure_ascii=False)
    found = [label for label, *_rest in MESSAGES if f"【サンプル】{label} のメッセージ" in text]
    assert len(found) == 1, text
    return found[0]


def check(everyone, received, line_server, fcm_server):
    assert line_server.errors == [] and fcm_server.errors == []
    total = 0
    for family in everyone:
        got = received.get((family.channel, family.identifier), {})
        expected = expected_for(family)
        # Exactly once each, in its own month; nothing meant for another month.
        assert got == {label: [month] for label, month in expected.items()}, (family, got, expected)
        total += len(expected)
    assert total > 300  # the year really sent plenty
    assert Receipt.objects.count() == total
    sources = list(
        Notification.objects.filter(source__startswith="timed-message:").values_list("source", flat=True)
    )
    assert len(sources) == len(set(sources))
    # The late registrants got their September child's 1-month message in a later October run.
    late = [f for f in everyone if f.joined == LATE_JOIN]
    assert all(received[(f.channel, f.identifier)]["A1"] == [datetime.date(2027, 10, 1)] for f in late)
    # The corrected families got the 5-month message once, in June, not again in July.
    corrected = [f for f in everyone if f.corrected_birth_month]
    assert all(received[(f.channel, f.identifier)]["A5"] == [datetime.date(2027, 6, 1)] for f in corrected)
    return total


@pytest.fixture
def article(make_article):
    from articles.models import ArticleApproval

    with time_machine.travel(START, tick=False):
        page = make_article(title="【サンプル】成長の記録")
    ArticleApproval.objects.filter(page=page).update(next_review_due=datetime.date(2099, 1, 1))
    return page


@pytest.mark.django_db
@pytest.mark.portable
def test_a_whole_year_reaches_each_family_once_at_its_month(
    make_series, article, line_server, fcm_server, queued
):
    from milestones import kpi

    def beat(now):
        with TestCase.captureOnCommitCallbacks(execute=True):
            dispatch_due_messages()

    everyone, received = run_year(make_series, article, line_server, fcm_server, queued, beat)
    total = check(everyone, received, line_server, fcm_server)
    # Every delivery is counted on its own KPI line, by month; none in the notifications issued.
    monthly = kpi.timed_messages_delivered(2027)
    assert sum(count for _month, count in monthly) == total
    from notifications import kpi as notifications_kpi

    article_notifications = Notification.objects.exclude(source__startswith="timed-message:")
    assert (
        notifications_kpi.notifications_issued(2027)
        == article_notifications.filter(first_accepted_at__isnull=False).count()
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")
def test_a_whole_year_with_two_racing_beats_issues_nothing_twice(
    make_series, article, line_server, fcm_server, queued
):
    def beat(now):
        barrier = threading.Barrier(2)
        errors = []

        def one():
            try:
                with time_machine.travel(now, tick=False):
                    barrier.wait()
                    dispatch_due_messages()
            except Exception as error:  # surfaced below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=one) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []

    everyone, received = run_year(make_series, article, line_server, fcm_server, queued, beat)
    check(everyone, received, line_server, fcm_server)

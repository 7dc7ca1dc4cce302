"""The beat task's edges: month ends, leap years, passed due months, corrections, refollows, holds."""

import datetime

import pytest
import time_machine

from django.test import TestCase
from django.utils import translation

from milestones.enums import DispatchStatus, Moment
from milestones.models import CohortDispatch, Receipt
from milestones.services import dispatch_due_messages, pause, resume
from notifications.models import Notification

from .conftest import tokyo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def month(year, number):
    return datetime.date(year, number, 1)


def run(at):
    """One beat at ``at``; what it queues on commit is queued (the ``queued`` fixture holds it)."""
    with time_machine.travel(at, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return dispatch_due_messages()


def chosen(notification):
    notification.refresh_from_db()
    return notification.chosen_recipients


def timed():
    return Notification.objects.filter(source__startswith="timed-message:")


@pytest.fixture
def article(make_article):
    from articles.models import ArticleApproval

    page = make_article(title="【サンプル】離乳食のはじめかた")
    # Reviewed for the years these tests travel through.
    ArticleApproval.objects.filter(page=page).update(next_review_due=datetime.date(2099, 1, 1))
    return page


def test_child_turning_5_months_gets_the_31st_message_on_the_30th(make_series, article, follower, queued):
    series = make_series(
        [{"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5, "day_of_month": 31}]
    )
    five = follower("U" + "a" * 32, birth_month=month(2026, 1))
    follower("U" + "b" * 32, birth_month=month(2026, 2))  # four months old in June

    assert run(tokyo(2026, 6, 30, 18, 59)) == []
    [dispatch] = run(tokyo(2026, 6, 30, 19, 0))
    notification = Notification.objects.get(pk=dispatch.notification_id)
    assert notification.source == f"timed-message:{series.messages.get().pk}:2026-06"
    assert chosen(notification) == {"line": [five.pk], "fcm": []}
    assert queued == [notification.pk]
    assert dispatch.lateness == datetime.timedelta(0)


@pytest.mark.parametrize(("year", "last_day"), [(2028, 29), (2027, 28)])
def test_a_31st_message_in_february_goes_out_on_its_last_day_leap_or_not(
    make_series, article, follower, queued, year, last_day
):
    make_series([{"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5, "day_of_month": 31}])
    follower("U" + "a" * 32, birth_month=month(year - 1, 9))

    assert run(tokyo(year, 2, last_day - 1, 23, 59)) == []
    [dispatch] = run(tokyo(year, 2, last_day, 19, 0))
    assert dispatch.status == DispatchStatus.ISSUED and dispatch.recipient_count == 1


def test_a_passed_due_month_stands_in_for_the_birth_month_and_brings_no_backlog(
    make_series, article, follower, queued
):
    make_series(
        [
            {"text": "妊娠後期", "target": article, "moment": Moment.PREGNANCY, "months": 1},
            *(
                {"text": f"{age}か月", "target": article, "moment": Moment.AGE, "months": age}
                for age in range(6)
            ),
        ]
    )
    # Registers in June with a due month in January and no birth recorded: the child is 5 months.
    late = follower("U" + "a" * 32, due_month=month(2026, 1))

    dispatches = run(tokyo(2026, 6, 1, 19))
    issued = [d for d in dispatches if d.status == DispatchStatus.ISSUED]
    assert len(issued) == 1
    notification = Notification.objects.get(pk=issued[0].notification_id)
    assert notification.text == "5か月" and chosen(notification)["line"] == [late.pk]
    # Nothing of the earlier months is ever sent, and no pregnancy message either.
    for day in range(2, 31):
        run(tokyo(2026, 6, day, 19))
    assert timed().count() == 1


def test_a_corrected_birth_month_does_not_bring_the_same_message_twice(
    make_series, article, follower, queued
):
    make_series([{"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5}])
    family = follower("U" + "a" * 32, birth_month=month(2026, 1))
    [june] = run(tokyo(2026, 6, 1, 19))
    assert june.recipient_count == 1

    family.set_life_stage(birth_month=month(2026, 2))  # "born in February, not January"
    family.save()
    [july] = run(tokyo(2026, 7, 1, 19))
    assert july.status == DispatchStatus.EMPTY and july.notification_id is None
    assert timed().count() == 1


def test_follow_unfollow_follow_does_not_resend_but_a_new_month_still_arrives(
    make_series, article, follower, queued, settings
):
    from notifications.events import handle_event
    from notifications.models import LineFollower
    from notifications.tests import line_bodies

    make_series(
        [
            {"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5},
            {"text": "6か月", "target": article, "moment": Moment.AGE, "months": 6},
        ]
    )
    user = line_bodies.user_id()
    first = follower(user, birth_month=month(2026, 1))
    [june] = [d for d in run(tokyo(2026, 6, 1, 19)) if d.status == DispatchStatus.ISSUED]
    assert june.recipient_count == 1

    with time_machine.travel(tokyo(2026, 6, 2, 9), tick=False):
        handle_event(line_bodies.unfollow(user, timestamp=1_800_000_000_000))
        handle_event(line_bodies.follow(user, timestamp=1_800_000_100_000))
    again = LineFollower.objects.get(line_user_id=user)
    assert again.pk != first.pk  # unfollowing forgot the ID: a new row
    again.set_life_stage(birth_month=month(2026, 1))
    again.save()

    top_ups = run(tokyo(2026, 6, 2, 19))
    assert {d.status for d in top_ups} == {DispatchStatus.EMPTY}
    [july] = [d for d in run(tokyo(2026, 7, 1, 19)) if d.status == DispatchStatus.ISSUED]
    assert chosen(Notification.objects.get(pk=july.notification_id))["line"] == [again.pk]
    # One receipt per message: a keyed hash, never the LINE user ID itself.
    assert Receipt.objects.count() == 2
    assert not Receipt.objects.filter(subscriber_key__contains=user).exists()


def test_a_late_registrant_gets_this_months_message_on_a_later_day_unless_switched_off(
    make_series, article, follower, queued, settings
):
    make_series([{"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5}])
    follower("U" + "a" * 32, birth_month=month(2026, 1))
    run(tokyo(2026, 6, 1, 19))
    newcomer = follower("U" + "b" * 32, birth_month=month(2026, 1))

    assert run(tokyo(2026, 6, 5, 18)) == []  # before the message's time of day
    [top_up] = run(tokyo(2026, 6, 5, 19, 30))
    notification = Notification.objects.get(pk=top_up.notification_id)
    assert notification.source.endswith(":2026-06:2026-06-05")
    assert chosen(notification)["line"] == [newcomer.pk]
    assert run(tokyo(2026, 6, 5, 21)) == []  # once a day

    settings.MILESTONES_LATE_REGISTRANTS_GET_CURRENT_MONTH = False
    follower("U" + "c" * 32, birth_month=month(2026, 1))
    assert run(tokyo(2026, 6, 6, 19)) == []


def test_a_rerun_or_a_second_beat_issues_nothing_twice(make_series, article, follower, queued):
    from milestones.services import dispatch_message

    series = make_series([{"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5}])
    follower("U" + "a" * 32, birth_month=month(2026, 1))
    run(tokyo(2026, 6, 1, 19))
    assert run(tokyo(2026, 6, 1, 19, 1)) == []
    message = series.messages.get()
    with time_machine.travel(tokyo(2026, 6, 1, 19, 2), tick=False):
        assert dispatch_message(message.pk, month(2026, 6), now=tokyo(2026, 6, 1, 19, 2)) is None
    assert timed().count() == 1 and len(queued) == 1


def test_an_unapproved_or_overdue_target_holds_the_message_with_its_reason(
    make_series, make_article, follower, queued
):
    from articles.models import ArticleApproval

    article = make_article(title="【サンプル】予防接種")
    make_series([{"text": "2か月", "target": article, "moment": Moment.AGE, "months": 2}])
    follower("U" + "a" * 32, birth_month=month(2026, 4))
    ArticleApproval.objects.filter(page=article).update(next_review_due=datetime.date(2026, 5, 31))

    with translation.override("en"):
        [held] = run(tokyo(2026, 6, 1, 19))
    assert held.status == DispatchStatus.HELD and "review date" in held.hold_reason
    assert timed().count() == 0 and Receipt.objects.count() == 0

    article.unpublish()
    with translation.override("en"):
        [still] = run(tokyo(2026, 6, 2, 19))
    assert "not live" in still.hold_reason

    # Approved and live again later in the month: the cohort gets it then.
    from articles.factories import publish_approved

    publish_approved(article.specific)
    [issued] = run(tokyo(2026, 6, 3, 19))
    assert issued.status == DispatchStatus.ISSUED and issued.recipient_count == 1
    assert Notification.objects.get(pk=issued.notification_id).source.endswith(":2026-06")


def test_a_health_advice_message_goes_out_only_from_an_approved_series_revision(
    home_page, physician, article, follower, queued
):
    from articles.gate import UnapprovedRevisionError
    from milestones.factories import build_series

    series = build_series(
        home_page,
        title="【サンプル】助言つき",
        messages=[
            {
                "text": "発熱時は…",
                "target": article,
                "moment": Moment.AGE,
                "months": 5,
            }
        ],
        physician=physician,
        publish=False,
    )
    follower("U" + "a" * 32, birth_month=month(2026, 1))
    with pytest.raises(UnapprovedRevisionError):
        series.save_revision().publish()
    assert run(tokyo(2026, 6, 1, 19)) == []  # the draft series is not live: nothing is due

    from milestones.factories import publish_series

    publish_series(series)
    [dispatch] = run(tokyo(2026, 6, 1, 19))
    assert dispatch.status == DispatchStatus.ISSUED


def test_pausing_a_message_or_the_series_stops_it_at_once(make_series, article, follower, queued, admin_user):
    series = make_series(
        [
            {"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5},
            {"text": "6か月", "target": article, "moment": Moment.AGE, "months": 6},
        ]
    )
    five, six = series.timeline()
    follower("U" + "a" * 32, birth_month=month(2026, 1))
    follower("U" + "b" * 32, birth_month=month(2025, 12))

    assert pause(series, admin_user, message_id=five.pk) is True
    assert [d.message_id for d in run(tokyo(2026, 6, 1, 19))] == [six.pk]
    assert pause(series, admin_user) is True
    assert resume(series, admin_user, message_id=five.pk) is True
    assert run(tokyo(2026, 6, 2, 19)) == []
    assert resume(series, admin_user) is True
    # Six's later run on the 3rd finds nobody new; five goes out two days late.
    [late] = [d for d in run(tokyo(2026, 6, 3, 19)) if d.status == DispatchStatus.ISSUED]
    assert late.message_id == five.pk and late.lateness == datetime.timedelta(days=2)
    assert CohortDispatch.objects.filter(status=DispatchStatus.ISSUED).count() == 2


def test_only_the_chosen_cohort_is_sent_to(make_series, article, follower, queued, line_server, fcm_server):
    from notifications.models import AppDevice
    from notifications.tasks import send_notification

    make_series([{"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5}])
    target = follower("U" + "a" * 32, birth_month=month(2026, 1))
    follower("U" + "b" * 32, birth_month=month(2026, 2))
    follower("U" + "c" * 32)  # no month: every stage for announcements, never a timed message
    device = AppDevice(token="fcm-token-000001", platform="ios", language="ja")
    device.set_life_stage(birth_month=month(2026, 1))
    device.save()

    run(tokyo(2026, 6, 1, 19))
    with time_machine.travel(tokyo(2026, 6, 1, 19, 1), tick=False):
        for pk in queued:
            send_notification(pk)
    [multicast] = line_server.multicasts
    assert multicast["to"] == [target.line_user_id]
    assert len(fcm_server.messages) == 1


def test_receipts_are_forgotten_after_their_retention(make_series, article, follower, queued, settings):
    from milestones.services import purge_receipts

    make_series([{"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5}])
    follower("U" + "a" * 32, birth_month=month(2026, 1))
    run(tokyo(2026, 6, 1, 19))
    settings.MILESTONES_RECEIPT_RETENTION = datetime.timedelta(days=400)
    assert purge_receipts(now=tokyo(2027, 7, 5, 19)) == 0
    assert purge_receipts(now=tokyo(2027, 7, 6, 19, 1)) == 1
    assert not Receipt.objects.exists() and CohortDispatch.objects.exists()


def test_a_translated_series_does_not_send_its_copied_messages_again(make_series, article, follower, queued):
    """wagtail-localize copies the messages into the translation; only the source's are scheduled."""
    from wagtail.models import Locale
    from wagtail_localize.models import Translation, TranslationSource

    from articles.factories import MedicalReviewerFactory, publish_approved

    series = make_series([{"text": "5か月", "target": article, "moment": Moment.AGE, "months": 5}])
    english = Locale.objects.get_or_create(language_code="en")[0]
    source, _created = TranslationSource.get_or_create_from_instance(series)
    Translation.objects.create(source=source, target_locale=english).save_target(publish=False)
    translated = series.get_translation(english)
    publish_approved(translated, reviewer=MedicalReviewerFactory(languages=["en"]))
    assert translated.live and translated.messages.count() == 1
    follower("U" + "a" * 32, birth_month=month(2026, 1))

    dispatches = run(tokyo(2026, 6, 1, 19, 0))

    assert [d.message_id for d in dispatches] == [series.messages.get().pk]
    assert timed().count() == 1

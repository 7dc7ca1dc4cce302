"""Each of the six KPIs at the fiscal-year edges (Asia/Tokyo), with the small-number rule."""

import datetime
import zoneinfo

import pytest
import time_machine

from notifications.models import AppDevice, LineFollower, Notification
from outcomes import factories, kpi
from outcomes.factories import CounsellingOutcomeFactory
from outcomes.models import KpiSettings, Service, ServiceUsage

pytestmark = [pytest.mark.django_db, pytest.mark.portable]
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
LAST_MINUTE = datetime.datetime(2027, 3, 31, 23, 59, tzinfo=TOKYO)
FIRST_MINUTE = datetime.datetime(2027, 4, 1, 0, 0, tzinfo=TOKYO)
NOW = datetime.datetime(2027, 6, 1, 12, tzinfo=TOKYO)
ANSWERED = datetime.datetime(2027, 3, 15, 12, tzinfo=TOKYO)  # in fiscal 2026, before NOW


def answer(*args, **kwargs):
    """A survey answer given at ANSWERED: the scorecard as of NOW counts only answers given by then,
    so the answers must not carry the day the tests happen to run."""
    with time_machine.travel(ANSWERED, tick=False):
        return factories.answer(*args, **kwargs)


def figure(key, fiscal_year, **kwargs):
    return next(f for f in kpi.scorecard(fiscal_year, now=kwargs.pop("now", NOW), **kwargs) if f.key == key)


def test_notifications_count_on_each_side_of_the_fiscal_year_edge():
    for source, at in (("a", LAST_MINUTE), ("b", FIRST_MINUTE), ("c", FIRST_MINUTE)):
        Notification.objects.create(source=source, title="t", text="x", first_accepted_at=at)
    Notification.objects.create(source="never-sent", title="t", text="x")

    assert figure("notifications", 2026).value == 1
    this_year = figure("notifications", 2027)
    assert this_year.value == 2
    assert this_year.series[0].points[0].value == 2  # April
    assert figure("notifications", 2026).series[0].points[-1].value == 1  # March


def test_registrants_show_new_registrations_and_leavers_in_the_year():
    for n in range(6):
        LineFollower.objects.create(line_user_id=f"U{n:032x}", followed_at=FIRST_MINUTE)
    LineFollower.objects.create(
        line_user_id=None, status="inactive", followed_at=LAST_MINUTE, unfollowed_at=FIRST_MINUTE
    )
    device = AppDevice.objects.create(token="t" * 20, platform="ios")
    AppDevice.objects.filter(pk=device.pk).update(created_at=LAST_MINUTE)

    year = figure("registrants", 2027)
    joined, left = (point for _, point in year.extra[:2])  # then the followers beside the households
    assert joined.value == 6 and left.display == str(kpi.FEWER_THAN_5)
    assert year.value == 7  # six followers and the device; the leaver is gone
    last_year = figure("registrants", 2026)
    assert last_year.extra[0][1].value == 2  # the leaver joined and the device came on 31 March
    assert last_year.value == 2 and last_year.display == str(kpi.FEWER_THAN_5)


def test_service_uses_sum_the_months_of_the_fiscal_year():
    service = Service.objects.get(code="consultation")
    ServiceUsage.objects.create(month=datetime.date(2027, 3, 1), service=service, uses=30)
    ServiceUsage.objects.create(month=datetime.date(2027, 4, 1), service=service, uses=3)

    assert figure("service_uses", 2026).value == 30
    april = figure("service_uses", 2027)
    assert april.value == 3 and april.display == str(kpi.FEWER_THAN_5)
    assert april.series[0].points[0].display == str(kpi.FEWER_THAN_5)
    assert april.percent is None


def test_survey_kpis_come_from_the_round_and_need_five_answers(survey):
    q4 = survey(fiscal_year=2026, quarter=4)
    for ratings in ((5, 4), (4, 4), (3, 3), (5, 5)):
        answer(q4, ratings=ratings)
    satisfaction = figure("satisfaction", 2026)
    assert satisfaction.display == str(kpi.FEWER_THAN_5) and satisfaction.on_pace(1) is None

    answer(q4, ratings=(1, 2), image="いいえ")
    satisfaction, image = figure("satisfaction", 2026), figure("image", 2026)
    assert satisfaction.value == pytest.approx(3.6)
    assert satisfaction.on_pace(0.1) is True
    assert image.value == 80.0 and image.on_pace(1) is False
    assert figure("satisfaction", 2027).value is None


def test_untokened_answers_can_be_excluded(survey):
    q1 = survey()
    for _ in range(5):
        answer(q1, ratings=(5, 5))
    for _ in range(5):
        answer(q1, ratings=(1, 1), tokened=False)

    assert figure("satisfaction", 2026, include_untokened=True).value == 3
    assert figure("satisfaction", 2026, include_untokened=False).value == 5


@pytest.mark.parametrize(("inclusive", "expected"), [(True, 80.0), (False, 40.0)])
def test_phq9_end_threshold_inclusive_or_exclusive(inclusive, expected):
    KpiSettings.objects.update_or_create(pk=KpiSettings.load().pk, defaults={"phq9_end_inclusive": inclusive})
    for end_score in (5, 9, 10, 10, 14):
        CounsellingOutcomeFactory(start_score=10, end_score=end_score, end_date=datetime.date(2027, 3, 31))
    CounsellingOutcomeFactory(
        start_score=9, end_score=2, end_date=datetime.date(2027, 3, 31)
    )  # below the start
    CounsellingOutcomeFactory(start_score=20, end_score=2, end_date=datetime.date(2027, 4, 1))  # next year

    result = figure("phq9", 2026)
    assert result.value == expected and result.people == 5
    assert figure("phq9", 2027).display == str(kpi.FEWER_THAN_5)


def test_phq9_defaults_follow_the_plans_wording():
    config = KpiSettings.load()
    assert (config.phq9_start_threshold, config.phq9_end_threshold, config.phq9_end_inclusive) == (
        10,
        10,
        True,
    )


def test_phq9_start_threshold_is_a_setting():
    KpiSettings.objects.update_or_create(pk=KpiSettings.load().pk, defaults={"phq9_start_threshold": 15})
    for start_score in (15, 16, 20, 27, 15, 14):
        CounsellingOutcomeFactory(start_score=start_score, end_score=3)
    assert figure("phq9", 2026).people == 5


def test_on_pace_counts_pro_rata_and_rates_against_the_target():
    with time_machine.travel(datetime.datetime(2026, 10, 1, tzinfo=TOKYO)):
        share = kpi.elapsed_share(2026)
    assert 0.49 < share < 0.51
    count = kpi.Figure("x", "x", "", value=26, people=26, target=50)
    assert count.on_pace(share) is True and count.on_pace(1) is False
    assert kpi.elapsed_share(2026, now=LAST_MINUTE) < 1 <= kpi.elapsed_share(2026, now=FIRST_MINUTE)


def test_a_notification_cancelled_because_its_page_was_withdrawn_counts_toward_no_kpi():
    Notification.objects.create(source="kept", title="t", text="x", first_accepted_at=FIRST_MINUTE)
    Notification.objects.create(
        source="withdrawn", title="t", text="x", first_accepted_at=FIRST_MINUTE, status="cancelled"
    )

    assert figure("notifications", 2027).value == 1


def test_untokened_answers_are_off_the_kpi_by_default(survey):
    q1 = survey()
    for _ in range(5):
        answer(q1, ratings=(5, 5))
    for _ in range(30):  # one client stuffing the public link
        answer(q1, ratings=(1, 1), tokened=False)

    assert KpiSettings.load().include_untokened_answers is False
    assert figure("satisfaction", 2026).value == 5

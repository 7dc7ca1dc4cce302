"""The hub's PHQ-9 cases: a family's first check paired with its follow-up, counted in the follow-up's
fiscal year when that is the first check's fiscal year or the next, and never a check twice."""

import datetime
import zoneinfo

import pytest

from outcomes import kpi as outcomes_kpi
from screening import kpi
from screening.flow import subscriber_key
from screening.models import KeptResult

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2028, 6, 1, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))


def pair(who, first_on, first_total, follow_on=None, follow_total=None):
    key = subscriber_key(who)
    first = KeptResult.objects.create(subscriber_key=key, checked_on=first_on, level=3, total=first_total)
    if follow_on:
        KeptResult.objects.create(
            subscriber_key=key, checked_on=follow_on, level=1, total=follow_total, follows=first
        )
    return first


def test_a_follow_up_in_the_next_fiscal_year_is_counted_there_and_not_in_the_first():
    # First check in March 2027 (fiscal 2026), follow-up in May 2027 (fiscal 2027).
    pair("a", datetime.date(2027, 3, 20), 14, datetime.date(2027, 5, 15), 6)
    assert kpi.cases(2026) == []
    assert kpi.cases(2027) == [(14, datetime.date(2027, 5, 15), 6)]


def test_first_and_follow_up_in_the_same_fiscal_year():
    pair("b", datetime.date(2027, 4, 1), 12, datetime.date(2027, 5, 27), 11)
    assert kpi.cases(2027) == [(12, datetime.date(2027, 5, 27), 11)]


def test_a_follow_up_two_fiscal_years_later_is_not_a_case():
    pair("c", datetime.date(2026, 4, 10), 15, datetime.date(2028, 4, 10), 3)
    assert kpi.cases(2028) == [] and kpi.cases(2026) == []


def test_a_check_without_follow_up_and_a_later_unlinked_check_are_not_cases():
    first = pair("d", datetime.date(2027, 6, 1), 16)
    KeptResult.objects.create(
        subscriber_key=first.subscriber_key, checked_on=datetime.date(2027, 8, 1), level=1, total=2
    )
    assert kpi.cases(2027) == []


def test_each_family_and_episode_is_one_case():
    pair("e", datetime.date(2027, 4, 5), 18, datetime.date(2027, 6, 1), 9)
    pair("e", datetime.date(2027, 7, 1), 13, datetime.date(2027, 9, 1), 12)  # a second episode
    pair("f", datetime.date(2027, 4, 5), 10, datetime.date(2027, 6, 1), 10)
    assert sorted(kpi.cases(2027)) == sorted(
        [
            (18, datetime.date(2027, 6, 1), 9),
            (13, datetime.date(2027, 9, 1), 12),
            (10, datetime.date(2027, 6, 1), 10),
        ]
    )


def test_as_of_a_moment_a_case_counts_once_its_follow_up_is_taken():
    pair("h", datetime.date(2027, 4, 5), 18, datetime.date(2027, 6, 1), 9)
    pair("i", datetime.date(2027, 7, 1), 13, datetime.date(2027, 9, 1), 12)
    end_of_june = datetime.datetime(2027, 6, 30, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert kpi.cases(2027, now=end_of_june) == [(18, datetime.date(2027, 6, 1), 9)]
    # 1 June 00:00 in Tokyo is still 31 May in UTC: the day is Tokyo's.
    first_of_june = datetime.datetime(2027, 5, 31, 15, tzinfo=datetime.UTC)
    assert kpi.cases(2027, now=first_of_june) == [(18, datetime.date(2027, 6, 1), 9)]
    assert kpi.cases(2027, now=first_of_june - datetime.timedelta(seconds=1)) == []
    assert len(kpi.cases(2027)) == 2


def test_the_scorecard_reads_the_hubs_cases_with_its_threshold():
    # Fiscal 2027: five cases from 10 or more (three end at 10 or less), one from below 10.
    for n, (start, end) in enumerate([(14, 6), (12, 10), (20, 8), (11, 15), (10, 12)]):
        pair(f"g{n}", datetime.date(2027, 4, 20), start, datetime.date(2027, 6, 20), end)
    pair("low", datetime.date(2027, 4, 20), 7, datetime.date(2027, 6, 20), 2)
    phq9 = next(f for f in outcomes_kpi.scorecard(2027, now=NOW) if f.key == "phq9")
    assert phq9.people == 5
    assert phq9.value == 60.0

"""The demo's survey answers fall in their own round, so the KPIs as of a past quarter's end (the
quarterly report's "last quarter") find that round's answers."""

import datetime
from collections import Counter

import pytest
import time_machine

from wagtail.models import Site

from notifications.kpi import FISCAL_TZ
from outcomes import kpi
from outcomes.demo import load_demo_outcomes, quarter_bounds
from outcomes.models import SurveyPage, SurveyResponse

pytestmark = pytest.mark.django_db


class Report:
    def __init__(self):
        self.created = Counter()

    def count(self, kind, created):
        self.created[kind] += bool(created)


def test_each_rounds_sample_answers_are_given_within_its_quarter():
    now = datetime.datetime(2026, 12, 4, 9, tzinfo=FISCAL_TZ)
    home = Site.objects.get(is_default_site=True).root_page
    with time_machine.travel(now, tick=False):
        load_demo_outcomes(home, {}, now.date(), Report())
    for survey in SurveyPage.objects.filter(fiscal_year=2026):
        start, end = quarter_bounds(2026, survey.quarter)
        times = SurveyResponse.objects.filter(page=survey).values_list("submit_time", flat=True)
        assert times and all(start <= at <= min(end, now) for at in times), survey.quarter
    end_of_q1 = quarter_bounds(2026, 1)[1] - datetime.timedelta(seconds=1)
    assert kpi.round_result(SurveyPage.objects.get(fiscal_year=2026, quarter=1), now=end_of_q1).responses

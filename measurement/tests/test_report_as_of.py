"""One quarterly report, one survey round: its KPI row and its survey section count the same answers."""

import datetime

import pytest
import time_machine

from django.utils import translation

from measurement import report
from notifications.kpi import FISCAL_TZ

pytestmark = pytest.mark.django_db


def test_the_q1_reports_kpi_and_survey_section_count_the_same_answers():
    """A Q1 round still open in July: the KPI row counts the answers up to 30 June, the survey
    section of the same report every answer, July's included (two means for one round)."""
    from wagtail.models import Site

    from outcomes.factories import SurveyPageFactory, add_standard_questions
    from outcomes.factories import answer as answer_survey

    root = Site.objects.get(is_default_site=True).root_page
    survey = add_standard_questions(
        SurveyPageFactory(
            parent=root,
            fiscal_year=2026,
            quarter=1,
            opens_at=datetime.datetime(2026, 6, 1, tzinfo=FISCAL_TZ),
            closes_at=datetime.datetime(2026, 7, 31, tzinfo=FISCAL_TZ),
        )
    )
    for at, rating in (
        (datetime.datetime(2026, 6, 10, 9, tzinfo=FISCAL_TZ), 4),
        (datetime.datetime(2026, 7, 10, 9, tzinfo=FISCAL_TZ), 2),
    ):
        with time_machine.travel(at, tick=False):
            for _n in range(5):
                answer_survey(survey, ratings=(rating, rating))

    after = datetime.datetime(2026, 8, 5, 9, tzinfo=FISCAL_TZ)
    with time_machine.travel(after, tick=False), translation.override("en"):
        built = report.build(2026, 1, health=False)
    kpi = {row.label: row.display for row in built.kpis}["Satisfaction (mean of 5-point items)"]
    (section,) = built.surveys
    answered = section["questions"][0]["answered"]
    mean = section["questions"][0]["mean"]
    assert (kpi, answered) == (mean, "5"), (kpi, mean, answered)

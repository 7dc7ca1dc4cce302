"""Hub-carried services add their own rows to the KPIs through hooks, beside the contractor's
imports, and no (service, month) is counted twice."""

import datetime
import zoneinfo

import pytest

from wagtail import hooks

from outcomes import kpi
from outcomes.factories import CounsellingOutcomeFactory
from outcomes.models import Service, ServiceUsage

pytestmark = [pytest.mark.django_db, pytest.mark.portable]
NOW = datetime.datetime(2027, 6, 1, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
APRIL, MAY = datetime.date(2027, 4, 1), datetime.date(2027, 5, 1)


@pytest.fixture(autouse=True)
def only_the_tests_sources(monkeypatch):
    """The sources these tests register alone: installed apps' own (consultations) step aside."""
    hooks.search_for_hooks()
    monkeypatch.setitem(hooks._hooks, kpi.USE_SOURCE_HOOK, [])
    monkeypatch.setitem(hooks._hooks, kpi.PHQ9_SOURCE_HOOK, list(hooks._hooks.get(kpi.PHQ9_SOURCE_HOOK, [])))


def figure(key, fiscal_year=2027):
    return next(f for f in kpi.scorecard(fiscal_year, now=NOW) if f.key == key)


def bookings(fiscal_year, now=None):
    return kpi.UseSource(
        "bookings", "Attended bookings (hub)", {("consultation", MAY): 7, ("counselling", MAY): 0}
    )


def test_the_hubs_rows_replace_the_import_for_their_service_and_month():
    consultation = Service.objects.get(code="consultation")
    counselling = Service.objects.get(code="counselling")
    ServiceUsage.objects.create(month=APRIL, service=consultation, uses=11)
    ServiceUsage.objects.create(month=MAY, service=consultation, uses=9)  # the hub booked May itself
    ServiceUsage.objects.create(month=MAY, service=counselling, uses=6)  # the hub had no counselling rows

    assert figure("service_uses").value == 26
    with hooks.register_temporarily(kpi.USE_SOURCE_HOOK, bookings):
        uses = figure("service_uses")
    assert uses.value == 11 + 6 + 7
    sources = {label: point.value for label, point in uses.extra}
    # The import first, then each source (other installed features' sources have nothing here).
    assert next(iter(sources)) == str(kpi._("Contractor's report (imported)"))
    assert sources[str(kpi._("Contractor's report (imported)"))] == 17
    assert sources["Attended bookings (hub)"] == 7
    assert sum(sources.values()) == uses.value
    assert [series.label for series in uses.series][1:] == list(sources)


def test_a_small_source_is_hidden_and_cannot_be_worked_out_from_the_total():
    consultation = Service.objects.get(code="consultation")
    ServiceUsage.objects.create(month=APRIL, service=consultation, uses=40)

    def few(fiscal_year, now=None):
        return kpi.UseSource("consult", "Text consultations (hub)", {("counselling", MAY): 3})

    with hooks.register_temporarily(kpi.USE_SOURCE_HOOK, few):
        uses = figure("service_uses")
    assert uses.value == 43
    # The small source is hidden, and so is every other one with a value (else 43 - 40 = 3).
    assert all(point.hidden for _label, point in uses.extra if point.value)
    assert dict(uses.extra)["Text consultations (hub)"].hidden


def test_phq9_cases_from_the_hub_join_the_imported_ones():
    for end_score in (4, 8, 12):
        CounsellingOutcomeFactory(start_score=15, end_score=end_score, end_date=datetime.date(2027, 5, 10))

    def checks(fiscal_year, now=None):
        cases = [
            (12, datetime.date(2027, 5, 20), 6),
            (18, datetime.date(2027, 5, 21), 9),
            (9, datetime.date(2027, 5, 22), 2),  # started below 10: not eligible
            (14, datetime.date(2028, 4, 2), 3),  # next fiscal year
        ]
        return kpi.Phq9Source("screening", "Hub self-checks", cases)

    with hooks.register_temporarily(kpi.PHQ9_SOURCE_HOOK, checks):
        phq9 = figure("phq9")
    assert phq9.people == 5
    assert phq9.value == 80.0

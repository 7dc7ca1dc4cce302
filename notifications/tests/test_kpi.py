"""The KPI: counted once, at the first accepted batch, in the fiscal year (April–March, Tokyo)."""

import datetime
import zoneinfo

import pytest

from notifications import kpi
from notifications.models import Notification

pytestmark = pytest.mark.portable
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("moment", "fiscal_year"),
    [
        (datetime.datetime(2026, 5, 1, 12, tzinfo=TOKYO), 2026),
        (datetime.datetime(2027, 3, 31, 23, 59, tzinfo=TOKYO), 2026),
        (datetime.datetime(2026, 4, 1, 0, 0, tzinfo=TOKYO), 2026),
        # 1 April 00:30 in Tokyo is still 31 March in UTC: Tokyo decides.
        (datetime.datetime(2026, 3, 31, 15, 30, tzinfo=datetime.UTC), 2026),
        (datetime.datetime(2026, 3, 31, 14, 59, tzinfo=datetime.UTC), 2025),
        (datetime.date(2027, 1, 15), 2026),
    ],
)
def test_fiscal_year_runs_april_to_march_in_tokyo(moment, fiscal_year):
    assert kpi.fiscal_year_of(moment) == fiscal_year


def test_fiscal_year_bounds_are_half_open_at_tokyo_midnight():
    start, end = kpi.fiscal_year_bounds(2026)

    assert start == datetime.datetime(2026, 4, 1, tzinfo=TOKYO)
    assert end == datetime.datetime(2027, 4, 1, tzinfo=TOKYO)


@pytest.mark.django_db
def test_notifications_count_in_the_fiscal_year_of_their_first_accepted_batch():
    def made(source, accepted):
        return Notification.objects.create(source=source, title="t", text="x", first_accepted_at=accepted)

    made("a", datetime.datetime(2026, 3, 31, 23, 0, tzinfo=TOKYO))
    made("b", datetime.datetime(2026, 4, 1, 0, 0, tzinfo=TOKYO))
    made("c", datetime.datetime(2027, 3, 31, 23, 59, tzinfo=TOKYO))
    made("d", None)

    assert kpi.notifications_issued(2025) == 1
    assert kpi.notifications_issued(2026) == 2
    assert kpi.notifications_issued(2027) == 0

"""A person with a spreadsheet attacks every series shown with its total: the dashboard's cards and
data tables, the CSV and the Excel export. No hidden figure of 1–4 may come out as one value."""

import csv
import datetime
import io
import random
import re

import openpyxl
import pytest

from django.urls import reverse

from notifications.models import LineFollower
from outcomes import disclosure, kpi
from outcomes.factories import TOKYO
from outcomes.models import Service, ServiceUsage

FEWER, NOT_SHOWN = "fewer than 5", "not shown"
MONTHS = kpi.fiscal_months(2026)
pytestmark = pytest.mark.portable


def solve(cells, total):
    """What the attacker can learn: for each hidden cell, every value it could hold.

    Args:
        cells: what a reader sees for each month: a number, ``FEWER`` (1–4) or ``NOT_SHOWN`` (a
            figure of 5 or more, else it would read "fewer than 5"; zero is shown as 0).
        total: the total as shown (a number), or a word when it is hidden.

    Returns:
        ``{index: set of possible values}`` for each "fewer than 5" cell, under sum == total.
    """
    if not isinstance(total, int):
        return {i: set(range(1, 5)) for i, cell in enumerate(cells) if cell == FEWER}
    bounds = {
        i: (1, 4) if cell == FEWER else (5, total)
        for i, cell in enumerate(cells)
        if not isinstance(cell, int)
    }
    remainder = total - sum(cell for cell in cells if isinstance(cell, int))
    possible = {}
    for i, cell in enumerate(cells):
        if cell != FEWER:
            continue
        others = [b for j, b in bounds.items() if j != i]
        low, high = sum(b[0] for b in others), sum(b[1] for b in others)
        possible[i] = {v for v in range(1, 5) if low <= remainder - v <= high}
    return possible


def assert_safe(cells, total):
    for index, values in solve(cells, total).items():
        assert len(values) >= 2, f"cell {index} of {cells} (total {total}) is {values}"


def read(text):
    """A cell as a reader takes it: a number, "fewer than 5" (1–4) or "not shown" (5 or more)."""
    if isinstance(text, int | float):
        return int(text)
    text = str(text).strip().rstrip("%")
    # The words as written in the reader's language (the dashboard's and exports' own labels).
    if text in {FEWER, str(kpi.FEWER_THAN_5), "5人未満", "&lt;5"}:
        return FEWER
    if text in {NOT_SHOWN, str(kpi.NOT_SHOWN), "×"}:
        return NOT_SHOWN
    return int(float(text)) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text


def points(values):
    return [kpi.Point(f"m{n}", value, value) for n, value in enumerate(values)]


def shown(series, total_withheld, total):
    return [read(p.display) for p in series], (read(kpi.NOT_SHOWN) if total_withheld else total)


# The rule on its own


@pytest.mark.parametrize(
    "values",
    [
        [3, 10, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # one small month beside the year's total
        [1, 1, 30, 40, 0, 0, 0, 0, 0, 0, 0, 0],  # two small months that sum to 2: both 1
        [4, 4, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # two small months that sum to 8: both 4
        [1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # the complement is 5: the remainder 6 gives 1 and 5
        [1, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0],  # nothing safe to withhold: the total goes
        [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # the total is itself small
        [0, 7, 9, 0, 0, 0, 0, 0, 0, 0, 0, 12],  # nothing small: everything shown
    ],
)
def test_no_small_month_can_be_solved_from_the_total_and_the_other_months(values):
    series = points(values)
    withheld = disclosure.protect(series, total_shown=not kpi.suppressed(sum(values)))
    cells, total = shown(series, withheld, sum(values))
    if kpi.suppressed(sum(values)):
        total = FEWER
    assert_safe(cells, total)
    if not any(0 < v < 5 for v in values):
        assert cells == values and total == sum(values)  # nothing hidden without need


def test_the_rule_withstands_a_thousand_random_years():
    rng = random.Random(18)
    for _ in range(1000):
        values = [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, rng.randint(8, 60)]) for _month in MONTHS]
        series = points(values)
        total = sum(values)
        withheld = disclosure.protect(series, total_shown=not kpi.suppressed(total))
        cells, shown_total = shown(series, withheld, total)
        assert_safe(cells, FEWER if kpi.suppressed(total) else shown_total)
        for value, cell in zip(values, cells, strict=True):
            assert cell == value or not isinstance(cell, int)  # a figure shown is the true one


def test_a_zero_beside_a_small_month_is_shown_and_gives_nothing_away():
    series = points([3, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    disclosure.protect(series)
    assert [p.display for p in series[:3]] == [str(kpi.FEWER_THAN_5), "0", str(kpi.NOT_SHOWN)]


# The dashboard, its data tables and the exports


@pytest.fixture
def staff(django_user_model, client, db):
    client.force_login(django_user_model.objects.create_superuser("kpi-admin", "kpi@example.com", "pw"))


@pytest.fixture
def small_months(db):
    """Service uses: April 3 (small), May 10, June 20; new registrations: April 2, May 6, July 9."""
    service = Service.objects.get(code="consultation")
    for month, uses in ((MONTHS[0], 3), (MONTHS[1], 10), (MONTHS[2], 20)):
        ServiceUsage.objects.create(month=month, service=service, uses=uses)
    n = 0
    for month, joined in ((MONTHS[0], 2), (MONTHS[1], 6), (MONTHS[3], 9)):
        for _ in range(joined):
            at = datetime.datetime(month.year, month.month, 15, 12, tzinfo=TOKYO)
            LineFollower.objects.create(line_user_id=f"U{n:032x}", followed_at=at)
            n += 1


def dashboard_series(html, key):
    """A card as a reader sees it: its value, each chart's data table, its tooltips and bar labels,
    and the figures listed beside it."""
    card = html.split(f'data-kpi="{key}"')[1].split("</section>")[0]
    value = read(re.search(r"<strong data-kpi-value>(.*?)</strong>", card).group(1))
    tables = [
        [read(cell) for cell in re.findall(r'<td data-kpi-point="[^"]+">(.*?)</td>', table)]
        for table in card.split("<table")[1:]
    ]
    tooltips = [
        [read(t) for t in re.findall(r"<g>\s*<title>[^:<]+: ([^<]*)</title>", svg)]
        for svg in card.split("<svg")[1:]
    ]
    labels = [re.findall(r'fill="#1a1a1a">([^<]*)</text>', svg)[::2] for svg in card.split("<svg")[1:]]
    extra = [read(dd) for dd in re.findall(r"<dd>(.*?)</dd>", card)]
    return value, tables, tooltips, labels, extra


def test_the_dashboard_cards_tables_and_charts_withstand_subtraction(client, staff, small_months):
    html = client.get(reverse("outcomes_kpi:dashboard"), {"year": 2026}).content.decode()

    value, tables, tooltips, labels, _extra = dashboard_series(html, "service_uses")
    assert value == 33 and tables[0][:3] == [FEWER, NOT_SHOWN, 20]  # May is withheld, the year stays
    assert tooltips[0] == tables[0]
    assert labels[0][:3] == ["&lt;5", "×", "20"]
    assert_safe(tables[0], value)

    _value, tables, tooltips, _labels, extra = dashboard_series(html, "registrants")
    joined_total = extra[0]
    assert tables[0][:4] == [FEWER, NOT_SHOWN, 0, 9] and joined_total == 17
    assert tooltips[0] == tables[0]
    assert_safe(tables[0], joined_total)


def export_rows(client, file_format):
    response = client.get(reverse("outcomes_kpi:export", args=[file_format]), {"year": 2026})
    if file_format == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for sheet in book for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_exports_withstand_subtraction(client, staff, small_months, file_format):
    rows = [row for row in export_rows(client, file_format) if len(row) >= 4]
    figures = {figure.key: figure for figure in kpi.scorecard(2026, health=False)}

    uses = figures["service_uses"]
    series = uses.series[0].label
    total = next(read(row[1]) for row in rows if row[0] == uses.label and row[1] != series)
    months = [read(row[3]) for row in rows if row[0] == uses.label and row[1] == series]
    assert len(months) == 12 and months[:2] == [FEWER, NOT_SHOWN] and total == 33
    assert_safe(months, total)

    registrants = figures["registrants"]
    joined = registrants.series[0].label
    joined_total = next(read(row[1]) for row in rows if row[0] == f"{registrants.label}: {joined}")
    months = [read(row[3]) for row in rows if row[0] == registrants.label and row[1] == joined]
    assert len(months) == 12 and months[:2] == [FEWER, NOT_SHOWN] and joined_total == 17
    assert_safe(months, joined_total)


def test_new_registrations_are_withheld_when_the_leavers_are_hidden(db):
    """Registrants at the year's end less those a year before = joined − left: with one of the
    two shown, the other would follow."""
    for n in range(12):
        LineFollower.objects.create(
            line_user_id=f"U{n:032x}", followed_at=datetime.datetime(2026, 3, 1, tzinfo=TOKYO)
        )
    for n in range(12, 20):
        LineFollower.objects.create(
            line_user_id=f"U{n:032x}", followed_at=datetime.datetime(2026, 5, 1, tzinfo=TOKYO)
        )
    LineFollower.objects.filter(line_user_id=f"U{0:032x}").update(
        line_user_id=None, status="inactive", unfollowed_at=datetime.datetime(2026, 6, 1, tzinfo=TOKYO)
    )
    end = datetime.datetime(2027, 4, 1, 12, tzinfo=TOKYO)
    config = kpi.KpiSettings.load()
    before, after = kpi.registrants(2025, config, now=end), kpi.registrants(2026, config, now=end)
    joined, left = (point for _label, point in after.extra[:2])
    assert (before.display, after.display) == ("12", "19") and left.display == str(kpi.FEWER_THAN_5)
    assert joined.display == str(kpi.NOT_SHOWN)  # else 19 − 12 − 8 = −1 gives the one leaver

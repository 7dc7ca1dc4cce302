"""The KPI exports: no live formula in any cell, numbers as numbers, percentages as percentages."""

import csv
import io

import openpyxl
import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from outcomes import kpi
from outcomes.factories import CounsellingOutcomeFactory
from outcomes.models import KpiSettings, Service, ServiceUsage

pytestmark = [pytest.mark.django_db, pytest.mark.portable]
FORMULA = '=HYPERLINK("https://evil.example/","詳しくはこちら")'


@pytest.fixture
def outcome_staff(django_user_model, client):
    user = django_user_model.objects.create_user("outcome-staff", "o@example.jp", "pw")
    for name in ("KPI viewers", "Outcome data"):
        user.groups.add(Group.objects.get(name=name))
    client.force_login(user)
    return user


@pytest.fixture
def figures(db):
    """Definitions that look like formulas; service uses at 130 % of target; PHQ-9 at 60 %."""
    config = KpiSettings.load()
    config.service_uses_target = 100
    config.service_uses_definition = FORMULA
    config.phq9_definition = "@SUM(1+1)*cmd|' /C calc'!A0"
    config.save()
    service = Service.objects.get(code="consultation")
    for month in kpi.fiscal_months(2026)[:2]:
        ServiceUsage.objects.create(month=month, service=service, uses=65)
    for score in (5, 6, 9, 14, 15):  # three of five fell to 10 or below
        CounsellingOutcomeFactory(end_score=score)


def rows_by_label(rows):
    return {str(row[0]): row for row in rows if row and row[0] is not None}


def test_the_kpi_csv_writes_formula_like_text_as_text(client, outcome_staff, figures):
    text = client.get(reverse("outcomes_kpi:export", args=["csv"]), {"year": 2026}).content.decode(
        "utf-8-sig"
    )
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + FORMULA in cells and FORMULA not in cells
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]


def test_the_kpi_workbook_holds_text_as_text_and_numbers_as_numbers(client, outcome_staff, figures):
    content = client.get(reverse("outcomes_kpi:export", args=["xlsx"]), {"year": 2026}).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell for cell in cells if cell.data_type == "f"]
    definition = next(cell for cell in cells if cell.value == FORMULA)
    assert definition.data_type == "s" and definition.quotePrefix

    sheet = book.worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    uses = rows[str(kpi.service_uses(2026, KpiSettings.load()).label)]
    value, target, achievement = uses[1], uses[2], uses[3]
    assert (value.value, value.data_type) == (130, "n") and (target.value, target.data_type) == (100, "n")
    assert achievement.value == pytest.approx(1.3) and achievement.number_format == "0.0%"  # not capped

    phq9 = rows[str(kpi.phq9(2026, KpiSettings.load()).label)]
    assert phq9[1].value == pytest.approx(0.6) and phq9[1].number_format == "0.0%"
    assert phq9[2].value == pytest.approx(0.8) and phq9[2].number_format == "0.0%"
    assert phq9[3].value == pytest.approx(0.75) and phq9[3].number_format == "0.0%"

    monthly = book.worksheets[1]
    april = next(row for row in monthly.iter_rows(min_row=2) if row[0].value == uses[0].value)
    assert april[3].value == 65 and april[3].data_type == "n"


def test_the_dashboard_shows_an_achievement_over_target_as_it_is(client, outcome_staff, figures):
    page = client.get(reverse("outcomes_kpi:dashboard"), {"year": 2026}).content.decode()
    card = page.split('data-kpi="service_uses"')[1].split("</section>")[0]
    assert "<span>130%</span>" in card

"""An administrator uploads a usage report in Chromium, previews it, imports it and sees the
dashboard's figure and chart change."""

import pytest

from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", "sample-password")


def test_administrator_imports_a_usage_report_and_sees_the_dashboard_change(
    live_server, administrator, browser_page, tmp_path
):
    from notifications.kpi import fiscal_year_of
    from outcomes.models import ServiceUsage

    year = fiscal_year_of(timezone.now())
    report = tmp_path / "usage.csv"
    rows = f"month,service,uses\n{year}-04,consultation,31\n{year}-05,counselling,12\n"
    report.write_text(rows, encoding="utf-8")

    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "sample-admin")
    page.fill("#id_password", "sample-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    # KPI is a menu of its own (dashboard, quarterly report, what parents did not find).
    page.get_by_role("button", name="KPI").click()
    page.locator("a[href='/admin/kpi/']:visible").first.click()
    page.wait_for_url(f"{live_server.url}/admin/kpi/")
    uses = page.locator("[data-kpi=service_uses]")
    assert uses.locator("[data-kpi-value]").inner_text().strip() == "0"
    # The first chart is the total; the hub's own sources (bookings, consultations) follow it.
    total = uses.locator("figure").first
    april = total.locator(f"td[data-kpi-point='{year}-04']")
    assert april.text_content().strip() == "0", "the data table holds every month, even closed"
    assert total.locator("svg rect").count() == 0

    page.click("a[href='/admin/kpi/import/']")
    page.select_option("#id_kind", "usage")
    page.set_input_files("#id_file", str(report))
    page.click("#kpi-preview")
    page.wait_for_selector("input[name=staged]", state="attached")
    assert page.locator("#kpi-preview-rows tbody tr").count() == 2
    assert not ServiceUsage.objects.exists()

    page.click("#kpi-import")
    page.wait_for_url(f"{live_server.url}/admin/kpi/")
    uses = page.locator("[data-kpi=service_uses]")
    total = uses.locator("figure").first
    assert uses.locator("[data-kpi-value]").inner_text().strip() == "43"
    assert total.locator(f"td[data-kpi-point='{year}-04']").text_content().strip() == "31"
    assert total.locator("svg rect").count() == 2
    assert ServiceUsage.objects.count() == 2

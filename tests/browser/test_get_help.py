"""The get-help page in Chromium on a 360 px wide phone: the emergency numbers come first, then each
service with whether it is open now."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def services(request):
    from guidance.factories import ConsultationServiceFactory

    request.getfixturevalue("home_page")
    ConsultationServiceFactory(name="【サンプル】24時間オンライン医療相談", all_hours=True, sort_order=1)
    ConsultationServiceFactory(name="【サンプル】準備中の窓口（受付時間なし）", sort_order=2)


def test_get_help_on_a_phone_shows_emergency_numbers_first_and_the_open_now_state(
    live_server, services, browser
):
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="相談する").click()
    page.wait_for_url(f"{live_server.url}/help/")

    emergency = page.locator(".emergency__number")
    assert emergency.all_inner_texts()[:2] == ["119", "#8000"]
    assert "0120-279-338" in emergency.all_inner_texts()
    first_emergency = emergency.first.bounding_box()
    first_service = page.locator(".service").first.bounding_box()
    assert first_emergency["y"] < first_service["y"]
    # The first number is visible without scrolling on a small phone, and nothing overflows sideways.
    assert first_emergency["y"] + first_emergency["height"] <= 740
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert emergency.first.get_attribute("href") == "tel:119"

    states = page.locator(".service__state")
    assert states.nth(0).inner_text().strip() == "受付中 · 24時間"
    assert states.nth(0).get_attribute("data-open") == "true"
    assert states.nth(1).inner_text().strip() == "受付時間外"
    assert states.nth(1).get_attribute("data-open") == "false"
    context.close()

"""A parent searching 死にたい on a 360 px wide phone sees the crisis reply first, its numbers tappable,
within the first screen, with the strict content security policy and nothing overflowing."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_crisis_search_on_a_phone_shows_the_crisis_reply_first(live_server, home_page, browser):
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("キーワード").fill("死にたい")
    page.get_by_role("button", name="検索").click()
    page.wait_for_url("**/search/?q=*")

    panel = page.get_by_role("region", name="緊急のときは、すぐに電話を")
    assert panel.is_visible()
    first_number = panel.locator("a[href='tel:119']").first
    box = first_number.bounding_box()
    assert box["y"] + box["height"] <= 740  # the first number is on the first screen
    assert box["height"] >= 24  # a target a thumb can tap (WCAG 2.5.8)
    panel_box = panel.bounding_box()
    assert panel_box["y"] < page.locator("form[role='search']").bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not violations, violations
    context.close()

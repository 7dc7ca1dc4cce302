"""The self-check on a 360 px phone in Chromium: from the get-help page, one item per page with
large choices, back to change an answer, the result naming the service for the band; nothing wider
than the screen."""

import pytest

from guidance.tests.conftest import (  # noqa: F401
    administrator,
    approved,
    approved_crisis_reply,
    editor,
    other_physician,
    physician,
)
from screening.tests.conftest import bands, instrument, services  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ready(request, home_page):
    request.getfixturevalue("approved_crisis_reply")
    request.getfixturevalue("bands")
    return request.getfixturevalue("instrument")


def test_the_self_check_on_a_phone(live_server, ready, browser):
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/help/")
    page.get_by_role("link", name="こころのチェックを始める").click()
    page.wait_for_url(f"{live_server.url}/help/check/")
    assert "診断するものではありません" in page.inner_text("main")
    page.get_by_role("button", name="チェックを始める").click()

    answers = ["半分以上", "半分以上", "数日", "半分以上", "数日", "数日", "数日", "数日", "まったくない"]
    for number, label in enumerate(answers, start=1):
        group = page.locator("fieldset.check__item")
        assert f"質問 {number} / 9" in group.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = page.get_by_label(label).locator("xpath=..").bounding_box()
        assert box["height"] >= 44  # a thumb-sized target
        page.get_by_label(label).check()
        if number == 2:
            # Change the first answer: back, choose again, and on.
            page.get_by_role("button", name="前の質問にもどる").click()
            assert "質問 1 / 9" in page.locator("fieldset.check__item").inner_text()
            page.get_by_label("半分以上").check()
            page.get_by_role("button", name="次へ").click()
            page.get_by_label(label).check()
        page.get_by_role("button", name="結果を見る" if number == 9 else "次へ").click()

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "チェックおつかれさまでした"
    main = page.inner_text("main")
    assert "産後こころのカウンセリング" in main
    assert "うつ" not in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()

"""A text consultation in Chromium: a parent on the browser page at 360 px writes, a staff member
takes it in the admin and answers, and each side sees the other's words without reloading."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sample-password"


@pytest.fixture
def desk(request, django_user_model):
    from django.contrib.auth.models import Permission

    from consultations.models import FamilyTopic, StaffMember
    from consultations.tests.conftest import make_service

    request.getfixturevalue("home_page")
    service = make_service(
        "【サンプル】オンライン医療相談", "医療相談スタッフ", "consultation", [FamilyTopic.CHILD]
    )
    staff = django_user_model.objects.create_user(
        "sample-midwife", "midwife@example.jp", PASSWORD, last_name="助産", first_name="はな"
    )
    staff.groups.add(service.staff_group)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    StaffMember.objects.create(user=staff, on_duty=True)
    return service


def test_a_parent_on_a_phone_and_a_staff_member_in_the_admin_talk_without_reloading(
    live_server, browser, desk
):
    phone = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 360, "height": 740}
    )
    parent = phone.new_page()
    parent.set_default_timeout(20_000)
    parent.goto(f"{live_server.url}/consult/")
    parent.get_by_label("子どもの体調").check()
    parent.get_by_label("相談内容").fill("【サンプル】生後3か月、熱が38度あります")
    parent.get_by_role("button", name="送信").click()
    parent.wait_for_url(f"{live_server.url}/consult/chat/")
    assert "熱が38度あります" in parent.locator("#consult-chat").inner_text()
    assert parent.evaluate("document.documentElement.scrollWidth") <= 360

    office = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    staff = office.new_page()
    staff.set_default_timeout(20_000)
    staff.goto(f"{live_server.url}/admin/login/")
    staff.fill("#id_username", "sample-midwife")
    staff.fill("#id_password", PASSWORD)
    staff.click("button[type=submit]")
    staff.wait_for_url(f"{live_server.url}/admin/")
    staff.goto(f"{live_server.url}/admin/consultations/")
    staff.locator("#consult-queue").get_by_role("link").first.click()
    staff.get_by_role("button", name="この相談を担当する").click()
    staff.get_by_label("ご家族への回答").fill("【サンプル】水分はとれていますか？")
    staff.get_by_role("button", name="回答を送る").click()

    # The parent's page shows the answer by itself, then the parent writes back.
    parent.locator("#consult-chat", has_text="水分はとれていますか").wait_for()
    parent.get_by_label("相談内容").fill("【サンプル】少しずつ飲めています")
    parent.get_by_role("button", name="送信").click()
    staff.locator("#consult-messages", has_text="少しずつ飲めています").wait_for()
    assert parent.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()
    office.close()

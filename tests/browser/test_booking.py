"""Booking on the site on a 360 px phone, and the service's staff finding it in their day view and
marking it attended."""

import datetime

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sample-password"


@pytest.fixture
def bookable(request, django_user_model):
    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from bookings.factories import SessionTypeFactory, SlotFactory
    from bookings.times import TOKYO
    from guidance.factories import weekday_service

    request.getfixturevalue("home_page")
    group = Group.objects.create(name="【サンプル】助産師相談スタッフ")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    service = weekday_service(days=range(7), staff_group=group, name="【サンプル】助産師ビデオ相談")
    session_type = SessionTypeFactory(service=service)
    day = timezone.localdate() + datetime.timedelta(days=2)
    slots = [
        SlotFactory(
            session_type=session_type,
            starts_at=datetime.datetime.combine(day, datetime.time(10, m), tzinfo=TOKYO),
        )
        for m in (0, 30)
    ]
    user = django_user_model.objects.create_user("sample-midwife", "midwife@example.jp", PASSWORD)
    user.groups.add(group)
    return session_type, slots, day


def test_a_family_books_on_a_phone_and_the_staff_mark_it_attended(live_server, browser, bookable):
    from bookings.models import Booking, BookingStatus

    session_type, slots, day = bookable
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/booking/{session_type.pk}/")
    assert page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    time_button = page.locator(f"label[for=slot-{slots[1].pk}]")
    assert time_button.inner_text() == "10:30"
    assert time_button.bounding_box()["height"] >= 44  # a thumb-sized target
    time_button.click()
    page.fill("#id_contact", "090-1234-5678")
    page.fill("#id_note", "【サンプル】授乳の回数")
    page.click("button[type=submit]")
    booking = Booking.objects.get()
    assert booking.slot == slots[1]
    assert booking.number in page.locator(".booking__number").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()

    staff = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    admin = staff.new_page()
    admin.set_default_timeout(20_000)
    admin.goto(f"{live_server.url}/admin/login/")
    admin.fill("#id_username", "sample-midwife")
    admin.fill("#id_password", PASSWORD)
    admin.click("button[type=submit]")
    admin.wait_for_url(f"{live_server.url}/admin/")
    admin.goto(f"{live_server.url}/admin/bookings/{session_type.service_id}/day/{day.isoformat()}/")
    row = admin.locator("tr", has_text=booking.number)
    assert "10:30" in row.inner_text() and "授乳の回数" in row.inner_text()
    row.locator("form").first.locator("button").click()
    admin.wait_for_load_state()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    staff.close()

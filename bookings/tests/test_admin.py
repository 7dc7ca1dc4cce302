"""The staff's views: only the service's group sees its bookings (other services' staff, Editors and
superusers without the granted permission see nothing); every view of details is logged; the
iCalendar feed parses back and carries booking numbers only."""

import datetime

import icalendar
import pytest

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from bookings import reports
from bookings.factories import BookingFactory, SessionTypeFactory, SlotFactory
from bookings.models import BookingStatus, CalendarFeed, SlotStatus
from bookings.times import tokyo
from guidance.factories import weekday_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def midwives():
    group = Group.objects.create(name="【サンプル】助産師相談スタッフ")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    service = weekday_service(days=range(7), staff_group=group, report_code="consultation")
    return service, group


def staff(django_user_model, group, name="midwife"):
    user = django_user_model.objects.create_user(name, f"{name}@example.jp", "sample-password")
    user.groups.add(group)
    return user


@pytest.fixture
def booking(midwives):
    service, _group = midwives
    slot = SlotFactory(session_type=SessionTypeFactory(service=service))
    return BookingFactory(slot=slot, note="【サンプル】授乳のこと", contact="sample@example.jp")


def day_url(booking):
    return reverse(
        "bookings_admin:day",
        args=[booking.slot.session_type.service_id, tokyo(booking.slot.starts_at).date().isoformat()],
    )


def test_the_services_staff_see_its_day_and_the_view_is_logged(client, django_user_model, midwives, booking):
    client.force_login(staff(django_user_model, midwives[1]))
    response = client.get(day_url(booking))
    assert response.status_code == 200
    assert booking.number in response.content.decode() and "授乳のこと" in response.content.decode()
    entry = ModelLogEntry.objects.get(action="oyako.bookings_viewed")
    assert entry.data["bookings"] == [booking.number]
    detail = client.get(reverse("bookings_admin:booking", args=[booking.pk]))
    assert "sample@example.jp" in detail.content.decode()
    assert ModelLogEntry.objects.filter(action="oyako.booking_viewed", object_id=str(booking.pk)).exists()
    week = client.get(reverse("bookings_admin:week", args=[midwives[0].pk, timezone.localdate().isoformat()]))
    assert week.status_code == 200


@pytest.mark.parametrize("who", ["other_staff", "editor", "superuser"])
def test_nobody_outside_the_group_sees_a_booking(client, django_user_model, midwives, booking, editor, who):
    if who == "other_staff":
        others = Group.objects.create(name="【サンプル】医師相談スタッフ")
        others.permissions.add(Permission.objects.get(codename="access_admin"))
        weekday_service(staff_group=others).session_types.create(name="医師")
        user = staff(django_user_model, others, "doctor")
    elif who == "editor":
        user = editor
    else:
        user = django_user_model.objects.create_superuser("root", "root@example.jp", "sample-password")
    client.force_login(user)
    for url in (day_url(booking), reverse("bookings_admin:booking", args=[booking.pk])):
        response = client.get(url)
        assert response.status_code in {403, 404}
        assert booking.number not in response.content.decode()
    assert (
        client.post(reverse("bookings_admin:booking_action", args=[booking.pk, "cancel"])).status_code == 404
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert not ModelLogEntry.objects.filter(action__startswith="oyako.booking").exists()


def test_a_superuser_sees_bookings_only_with_the_granted_permission(client, django_user_model, booking):
    root = django_user_model.objects.create_superuser("root", "root@example.jp", "sample-password")
    root.user_permissions.add(Permission.objects.get(codename="see_every_service"))
    client.force_login(root)
    assert booking.number in client.get(day_url(booking)).content.decode()


def test_staff_mark_attended_and_no_show_and_cancel_a_slot(
    client, django_user_model, midwives, booking, direct
):
    client.force_login(staff(django_user_model, midwives[1]))
    client.post(reverse("bookings_admin:booking_action", args=[booking.pk, "no_show"]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    client.post(reverse("bookings_admin:booking_action", args=[booking.pk, "attended"]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    other = SlotFactory(
        session_type=booking.slot.session_type, starts_at=booking.slot.starts_at + datetime.timedelta(hours=1)
    )
    client.post(reverse("bookings_admin:cancel_slot", args=[other.pk]))
    other.refresh_from_db()
    assert other.status == SlotStatus.CANCELLED


def test_staff_add_a_slot_in_japan_time(client, django_user_model, midwives, booking):
    client.force_login(staff(django_user_model, midwives[1]))
    day = timezone.localdate() + datetime.timedelta(days=3)
    client.post(
        reverse("bookings_admin:add_slot", args=[midwives[0].pk]),
        {"session_type": booking.slot.session_type.pk, "day": day.isoformat(), "time": "00:30"},
    )
    slot = booking.slot.session_type.slots.order_by("-starts_at").first()
    assert slot.starts_at == datetime.datetime.combine(
        day, datetime.time(0, 30), tzinfo=tokyo(timezone.now()).tzinfo
    )
    assert slot.starts_at.astimezone(datetime.UTC).hour == 15


def test_the_calendar_feed_parses_back_with_booking_numbers_only(
    client, django_user_model, midwives, booking
):
    user = staff(django_user_model, midwives[1])
    client.force_login(user)
    assert client.get(reverse("bookings_admin:calendar")).status_code == 200
    token = CalendarFeed.objects.get(user=user).token
    client.logout()
    response = client.get(reverse("bookings:feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert booking.number in str(events[0]["summary"])
    assert events[0].decoded("dtstart") == booking.slot.starts_at
    body = response.content.decode()
    assert "sample@example.jp" not in body and "授乳" not in body
    # A new address: the old one stops working.
    client.force_login(user)
    client.post(reverse("bookings_admin:calendar"))
    client.logout()
    assert client.get(reverse("bookings:feed", args=[token])).status_code == 404


def test_an_editor_has_no_feed_and_a_wrong_token_finds_nothing(client, editor, booking):
    client.force_login(editor)
    assert client.get(reverse("bookings_admin:calendar")).status_code in {302, 403}  # Wagtail's refusal
    assert not CalendarFeed.objects.filter(user=editor).exists()
    assert client.get(reverse("bookings:feed", args=["not-a-token"])).status_code == 404


def test_attended_bookings_are_the_kpi_uses_and_the_rest_only_shown(midwives):
    service, _group = midwives
    session_type = SessionTypeFactory(service=service)
    may = datetime.datetime(2027, 5, 31, 15, 30, tzinfo=datetime.UTC)  # 1 June 00:30 in Tokyo
    for hours, status in enumerate(
        [BookingStatus.ATTENDED] * 6 + [BookingStatus.NO_SHOW, BookingStatus.CANCELLED]
    ):
        slot = SlotFactory(session_type=session_type, starts_at=may + datetime.timedelta(hours=hours))
        BookingFactory(slot=slot, status=status)
    assert reports.attended_uses(2027) == {("consultation", datetime.date(2027, 6, 1)): 6}
    # As of a moment: only sessions that started at or before it (one an hour from 00:30).
    after_three = may + datetime.timedelta(hours=2)
    assert reports.attended_uses(2027, now=after_three) == {("consultation", datetime.date(2027, 6, 1)): 3}
    from outcomes import kpi

    assert any(key == "bookings" for key, _label, _monthly in kpi.use_sources(2027))
    rows = reports.monthly([service])
    assert rows[0][2] == ["6", reports._shown(1), reports._shown(1), "0"]  # "fewer than 5"

"""Demo bookings for "a city after a real month": the booked midwife and doctor service gets a staff
group and a midwife on its staff, a video session type with weekday availability, a week of slots
ahead, and last month's sessions attended, missed or cancelled. Idempotent: a second run creates
nothing new. Every family detail is fictional and marked 【サンプル】."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from guidance.models import ConsultationService

from . import slots
from .models import Booking, BookingStatus, Channel, Mode, Role, SessionType, Slot, WeeklyAvailability
from .times import start_of_day

SERVICE_NAME = "【サンプル】助産師・医師の予約相談（ビデオ通話）"
GROUP = "【サンプル】予約相談スタッフ"
REPORT_CODE = "booked-sessions"
SESSION = "【サンプル】助産師ビデオ相談"
STAFF = {"username": "midwife", "last_name": "助産", "first_name": "さくら", "email": "midwife@example.jp"}
NOTES = [
    "【サンプル】授乳の回数",
    "【サンプル】離乳食の始め方",
    "",
    "【サンプル】夜泣き",
    "",
    "【サンプル】体重の増え方",
]
# The last month's sessions, by working day back from today: what became of each.
PAST = [BookingStatus.ATTENDED] * 14 + [BookingStatus.NO_SHOW] * 2 + [BookingStatus.CANCELLED] * 3


def load(context):
    service = ConsultationService.objects.filter(name=SERVICE_NAME, locale__language_code="ja").first()
    if service is None:
        return
    group, created = Group.objects.get_or_create(name=GROUP)
    context.report.count("Booking staff groups", created)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for action in ("add", "change", "view"):
        group.permissions.add(
            Permission.objects.get(content_type__app_label="bookings", codename=f"{action}_sessiontype")
        )
    if service.staff_group_id != group.pk or service.report_code != REPORT_CODE:
        service.staff_group, service.report_code = group, REPORT_CODE
        service.save(update_fields=["staff_group", "report_code"])
    if editor := context.users.get("editor"):
        user, created = get_user_model().objects.get_or_create(username=STAFF["username"])
        for field in ("last_name", "first_name", "email"):
            setattr(user, field, STAFF[field])
        user.password = editor.password  # the demo's one password, as the README gives it
        user.save()
        user.groups.add(group)
        context.report.count("Booking staff", created)
        context.report.users.append((STAFF["username"], GROUP))

    session_type, created = SessionType.objects.get_or_create(
        service=service,
        name=SESSION,
        defaults={
            "role": Role.MIDWIFE,
            "mode": Mode.VIDEO,
            "length_minutes": 30,
            "days_ahead": 14,
            "cancel_hours": 3,
        },
    )
    context.report.count("Session types", created)
    if created:
        for weekday in range(5):
            for starts, ends in (
                (datetime.time(10), datetime.time(12)),
                (datetime.time(14), datetime.time(16)),
            ):
                WeeklyAvailability.objects.create(
                    session_type=session_type, weekday=weekday, starts=starts, ends=ends
                )
    made = slots.generate(session_type, first_day=context.today, days=7, now=start_of_day(context.today))
    context.report.created["Slots"] += made

    # Last month: one session a working day, going back from yesterday.
    day, index = context.today, 0
    while index < len(PAST):
        day -= datetime.timedelta(days=1)
        found = slots.day_slots(session_type, day)
        if not found:
            continue
        starts_at, ends_at = found[index % len(found)]
        slot, _created = Slot.objects.get_or_create(
            session_type=session_type, starts_at=starts_at, defaults={"ends_at": ends_at}
        )
        _booking(context, slot, PAST[index], index)
        index += 1
    # Two families booked for the coming days.
    upcoming = Slot.objects.filter(
        session_type=session_type, starts_at__gte=start_of_day(context.today + datetime.timedelta(days=1))
    )
    for index, slot in enumerate(upcoming.order_by("starts_at")[:8:4]):
        _booking(context, slot, BookingStatus.BOOKED, index)


def _booking(context, slot, status, index):
    number = f"DEMO{slot.pk:04d}"[-8:]
    _booking_row, created = Booking.objects.get_or_create(
        number=number,
        defaults={
            "slot": slot,
            "status": status,
            "channel": Channel.SITE,
            "contact": f"sample-family-{index + 1}@example.jp",
            "note": NOTES[index % len(NOTES)],
        },
    )
    context.report.count("Sample bookings", created)

"""The demo: a staffed midwife service with a week of slots and last month's sessions; loading it
twice creates nothing new."""

import datetime
from collections import Counter

import pytest

from django.contrib.auth import get_user_model

from articles.demo.loader import DemoContext
from bookings import demo
from bookings.models import Booking, BookingStatus, SessionType, Slot
from guidance.factories import weekday_service

pytestmark = pytest.mark.django_db


class Report:
    def __init__(self):
        self.created, self.existing, self.users = Counter(), Counter(), []

    def count(self, kind, created):
        (self.created if created else self.existing)[kind] += 1


def test_the_demo_loads_once_and_reads_like_a_real_month():
    service = weekday_service(days=range(6), name=demo.SERVICE_NAME, year_end_closed=True)
    editor = get_user_model().objects.create_user("editor", password="sample-password")
    today = datetime.date(2027, 2, 15)
    for _run in range(2):
        demo.load(
            DemoContext(home=None, users={"editor": editor}, reviewers={}, today=today, report=Report())
        )
    service.refresh_from_db()
    midwife = get_user_model().objects.get(username="midwife")
    assert service.staff_group in midwife.groups.all() and service.report_code
    assert midwife.check_password("sample-password")
    assert SessionType.objects.filter(service=service).count() == 1
    statuses = Counter(Booking.objects.values_list("status", flat=True))
    assert statuses[BookingStatus.ATTENDED] == 14 and statuses[BookingStatus.NO_SHOW] == 2
    assert statuses[BookingStatus.CANCELLED] == 3 and statuses[BookingStatus.BOOKED] == 2
    assert Slot.objects.filter(starts_at__date__gt=today).count() > 20  # a week ahead
    assert not Booking.objects.exclude(note="").exclude(note__startswith="【サンプル】").exists()

"""Factories for session types, their weekly availability, slots and bookings."""

import datetime

import factory

from guidance.factories import weekday_service

from .models import Booking, Channel, SessionType, Slot, WeeklyAvailability


class SessionTypeFactory(factory.django.DjangoModelFactory):
    service = factory.LazyFunction(lambda: weekday_service(days=range(7)))
    name = factory.Sequence(lambda n: f"【サンプル】助産師相談 {n}")
    length_minutes = 30
    days_ahead = 14
    cancel_hours = 3

    class Meta:
        model = SessionType


class WeeklyAvailabilityFactory(factory.django.DjangoModelFactory):
    session_type = factory.SubFactory(SessionTypeFactory)
    weekday = 0
    starts = datetime.time(10)
    ends = datetime.time(12)

    class Meta:
        model = WeeklyAvailability


class SlotFactory(factory.django.DjangoModelFactory):
    session_type = factory.SubFactory(SessionTypeFactory)
    starts_at = factory.LazyFunction(
        lambda: (
            datetime.datetime.now(datetime.UTC).replace(minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=2)
        )
    )
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + datetime.timedelta(minutes=30))

    class Meta:
        model = Slot


class BookingFactory(factory.django.DjangoModelFactory):
    slot = factory.SubFactory(SlotFactory)
    channel = Channel.SITE
    contact = "sample@example.jp"

    class Meta:
        model = Booking


def weekly(session_type, days=range(7), starts=datetime.time(10), ends=datetime.time(12)):
    for day in days:
        WeeklyAvailabilityFactory(session_type=session_type, weekday=day, starts=starts, ends=ends)
    return session_type

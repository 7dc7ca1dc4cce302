"""Bookings counted from rows: attended sessions are the "uses" the KPI counts (per reported service
code and month, Asia/Tokyo); no-shows and cancellations are shown beside them, never counted."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from notifications.kpi import FISCAL_TZ, fiscal_year_bounds

from .models import Booking, BookingStatus

STATUSES = [
    BookingStatus.ATTENDED,
    BookingStatus.NO_SHOW,
    BookingStatus.CANCELLED,
    BookingStatus.SERVICE_CANCELLED,
]
SMALL_NUMBER = 5


def _by_month(queryset):
    return queryset.annotate(month=TruncMonth("slot__starts_at", tzinfo=FISCAL_TZ))


def attended_uses(fiscal_year, now=None):
    """``{(report_code, first day of month): attended sessions}`` for one fiscal year, counting
    only sessions that started at or before ``now`` (when given)."""
    start, end = fiscal_year_bounds(fiscal_year)
    attended = Booking.objects.filter(
        status=BookingStatus.ATTENDED, slot__starts_at__gte=start, slot__starts_at__lt=end
    )
    if now is not None:
        attended = attended.filter(slot__starts_at__lte=now)
    rows = (
        _by_month(attended.exclude(slot__session_type__service__report_code=""))
        .values("slot__session_type__service__report_code", "month")
        .annotate(uses=Count("pk"))
    )
    counts = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        key = (row["slot__session_type__service__report_code"], month)
        counts[key] = counts.get(key, 0) + row["uses"]
    return counts


def use_source(fiscal_year, now=None):
    from outcomes.kpi import UseSource

    return UseSource("bookings", str(_("Attended bookings (hub)")), attended_uses(fiscal_year, now=now))


def _shown(count):
    return str(_("fewer than 5")) if 0 < count < SMALL_NUMBER else str(count)


def monthly(services, months=12):
    """Rows ``(service, month, [count shown per status])`` for the services, the latest month first."""
    rows = (
        _by_month(Booking.objects.filter(slot__session_type__service__in=services, status__in=STATUSES))
        .values("slot__session_type__service__name", "month", "status")
        .annotate(count=Count("pk"))
    )
    table = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        table.setdefault((row["slot__session_type__service__name"], month), {})[row["status"]] = row["count"]
    ordered = sorted(table.items(), key=lambda item: (item[0][1], item[0][0]), reverse=True)[: months * 10]
    return [
        (name, month, [_shown(counts.get(status, 0)) for status in STATUSES])
        for (name, month), counts in ordered
    ]

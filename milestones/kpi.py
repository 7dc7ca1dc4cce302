"""Timed messages delivered, per month: their own KPI line, never in the notifications-issued count.

Derived from the push log's rows: the recipients of accepted batches of timed-message
notifications, by the month (Asia/Tokyo) their batch was accepted. Batches kept by a recording
backend were not sent and do not count.
"""

import datetime

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from notifications.kpi import FISCAL_TZ, TIMED_MESSAGE_SOURCE_PREFIX, fiscal_year_bounds, fiscal_year_of
from notifications.models import Batch, BatchStatus, NotificationStatus
from notifications.models.subscribers import add_months


def _delivered_batches(start, end):
    # A message cancelled because its series or article was withdrawn counts toward no KPI.
    return Batch.objects.filter(
        notification__source__startswith=TIMED_MESSAGE_SOURCE_PREFIX,
        status=BatchStatus.ACCEPTED,
        recorded=False,
        accepted_at__gte=start,
        accepted_at__lt=end,
    ).exclude(notification__status=NotificationStatus.CANCELLED)


def timed_messages_delivered(fiscal_year=None):
    """Timed messages delivered in each month of a fiscal year (April to March, Asia/Tokyo).

    A message delivered to one family (one LINE account or one app device) counts once.

    Args:
        fiscal_year: the year the fiscal year starts in; defaults to the current one.

    Returns:
        A list of 12 ``(first day of the month, count)`` pairs, April first.
    """
    if fiscal_year is None:
        fiscal_year = fiscal_year_of(timezone.now())
    start, end = fiscal_year_bounds(fiscal_year)
    rows = (
        _delivered_batches(start, end)
        .annotate(month=TruncMonth("accepted_at", tzinfo=FISCAL_TZ))
        .values("month")
        .annotate(total=Sum("recipient_count"))
    )
    totals = {timezone.localtime(row["month"], FISCAL_TZ).date(): row["total"] or 0 for row in rows}
    months = [add_months(start.date(), offset) for offset in range(12)]
    return [(month, totals.get(month, 0)) for month in months]


def timed_messages_delivered_in(year, month):
    """Timed messages delivered in one calendar month (Asia/Tokyo)."""
    first = datetime.date(year, month, 1)
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=FISCAL_TZ)
    end = datetime.datetime.combine(add_months(first, 1), datetime.time(0), tzinfo=FISCAL_TZ)
    return _delivered_batches(start, end).aggregate(total=Sum("recipient_count"))["total"] or 0

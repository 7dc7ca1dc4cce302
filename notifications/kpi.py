"""The city's notification KPI figures, always derived from the database, never from a counter."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from wagtail import hooks

from .models import AppDevice, LineFollower, Notification, NotificationStatus, QuotaReading

FISCAL_TZ = zoneinfo.ZoneInfo("Asia/Tokyo")
FISCAL_YEAR_START_MONTH = 4
# Timed messages (milestones) go out by themselves, month after month: they are not announcements
# the city chose to make, so they are counted on their own line, not in notifications issued.
TIMED_MESSAGE_SOURCE_PREFIX = "timed-message:"


def registrants():
    """Active registrants: LINE followers who still follow plus active app devices.

    Returns:
        The number of active LINE followers with a user ID plus active app devices with a token.
    """
    return LineFollower.objects.active().count() + AppDevice.objects.active().count()


def fiscal_year_of(moment):
    """The fiscal year (April to March, Asia/Tokyo) of a datetime or date.

    Args:
        moment: an aware datetime (read in Asia/Tokyo) or a date.

    Returns:
        The calendar year in which that fiscal year starts: 2026-05-01 → 2026, 2027-03-31 → 2026.
    """
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment, FISCAL_TZ).date()
    return moment.year if moment.month >= FISCAL_YEAR_START_MONTH else moment.year - 1


def fiscal_year_bounds(fiscal_year):
    """The half-open interval ``[start, end)`` of a fiscal year as aware datetimes in Asia/Tokyo."""
    start = datetime.datetime(fiscal_year, FISCAL_YEAR_START_MONTH, 1, tzinfo=FISCAL_TZ)
    end = datetime.datetime(fiscal_year + 1, FISCAL_YEAR_START_MONTH, 1, tzinfo=FISCAL_TZ)
    return start, end


def quarter_bounds(fiscal_year, quarter):
    """The half-open interval ``[start, end)`` of a fiscal quarter (1 = April–June) in Asia/Tokyo."""
    start_month = FISCAL_YEAR_START_MONTH + 3 * (quarter - 1)
    start = datetime.date(fiscal_year + (start_month > 12), (start_month - 1) % 12 + 1, 1)
    end_month = start_month + 3
    end = datetime.date(fiscal_year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=FISCAL_TZ),
        datetime.datetime.combine(end, datetime.time(), tzinfo=FISCAL_TZ),
    )


def notifications_issued(fiscal_year=None):
    """Notifications counted toward the KPI in a fiscal year.

    A notification counts once, when its first batch on any channel was accepted
    (``first_accepted_at``), in the fiscal year of that moment. Timed messages do not count, nor
    does a notification cancelled because what it announced was withdrawn (see :func:`counted`).

    Args:
        fiscal_year: the fiscal year; defaults to the current one.

    Returns:
        The number of notifications whose first batch was accepted in that fiscal year.
    """
    if fiscal_year is None:
        fiscal_year = fiscal_year_of(timezone.now())
    start, end = fiscal_year_bounds(fiscal_year)
    return (
        counted()
        .filter(first_accepted_at__gte=start, first_accepted_at__lt=end)
        .exclude(source__startswith=TIMED_MESSAGE_SOURCE_PREFIX)
        .count()
    )


def counted():
    """Notifications that may count toward a KPI: a push cancelled before it went out (its page
    withdrawn, unapproved or overdue) counts toward none, even if a batch was accepted first."""
    return Notification.objects.exclude(status=NotificationStatus.CANCELLED)


def targets():
    """The notifications and registrants targets: the settings' defaults, replaced by what a
    ``notifications_kpi_targets`` hook returns (outcomes: the targets administrators edit, so the
    home page panel, the campaign report and the KPI dashboard agree)."""
    found = {
        "notifications_target": settings.NOTIFICATIONS_KPI_TARGET,
        "registrants_target": settings.REGISTRANTS_TARGET,
    }
    for hook in hooks.get_hooks("notifications_kpi_targets"):
        given = hook()
        found.update({key: given[key] for key in found if key in given})
    return found


def dashboard_figures(now=None):
    """The KPI panel's figures: this fiscal year's notifications and the registrants, with targets."""
    fiscal_year = fiscal_year_of(now or timezone.now())
    return {
        "fiscal_year": fiscal_year,
        "notifications": notifications_issued(fiscal_year),
        "registrants": registrants(),
        "line_quota": line_quota(),
        **targets(),
    }


def line_quota():
    """Reliability: the month's LINE message consumption and limit as last read from LINE, or None.

    Returns:
        ``{"used", "limit" (None: no limit set), "read_at"}`` from the latest reading this month.
    """
    month_start = timezone.localtime(timezone.now(), FISCAL_TZ).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    reading = QuotaReading.objects.filter(read_at__gte=month_start).order_by("-read_at", "-pk").first()
    if reading is None:
        return None
    return {"used": reading.used, "limit": reading.limit, "read_at": reading.read_at}

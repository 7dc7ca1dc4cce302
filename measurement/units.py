"""LINE aggregation units: one ``customAggregationUnits`` name per notification.

LINE's rule (``messaging-api.yml``, ``MulticastRequest``): at most one unit per request, a name of
1–30 characters ``[a-zA-Z0-9_]``, case-sensitive. The hub names a notification's unit
``oyako_n<id>``.

The monthly limit: LINE counts the distinct unit names a channel uses in a calendar month
(``MEASUREMENT_LINE_UNIT_LIMIT``, 1,000 by LINE's documentation) and refuses a request naming a new
unit past it. The hub counts the units it claimed this month (Asia/Tokyo) and, at the limit, sends
the notification **without** a unit: it still goes out, its clicks are still counted by the hub's
redirect (:mod:`measurement.links`), only LINE's opens are missing for it; the push log says "no
LINE unit (monthly limit reached)". Should LINE still refuse a unit (a race between two workers at
the limit, or a limit lowered by LINE), the LINE backend resends once without it.
"""

import datetime
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.kpi import FISCAL_TZ

from .models import AggregationUnit

UNIT_RE = re.compile(r"^[a-zA-Z0-9_]{1,30}$")
DEFAULT_MONTHLY_LIMIT = 1000


def unit_name(notification_id):
    name = f"oyako_n{notification_id}"
    assert UNIT_RE.match(name), name
    return name


def monthly_limit():
    return getattr(settings, "MEASUREMENT_LINE_UNIT_LIMIT", DEFAULT_MONTHLY_LIMIT)


def this_month(now=None):
    return (now or timezone.now()).astimezone(FISCAL_TZ).date().replace(day=1)


def unit_for(notification, now=None):
    """The unit name ``notification`` is sent with, claimed on first use; "" past the limit."""
    existing = AggregationUnit.objects.filter(notification_id=notification.pk).values_list("name", flat=True)
    for name in existing:
        return name
    month = this_month(now)
    if AggregationUnit.objects.filter(month=month).count() >= monthly_limit():
        return ""
    try:
        with transaction.atomic():
            return AggregationUnit.objects.create(
                notification_id=notification.pk, name=unit_name(notification.pk), month=month
            ).name
    except IntegrityError:
        return AggregationUnit.objects.filter(notification_id=notification.pk).values_list("name", flat=True)[
            0
        ]


def units_to_read(today, days=30):
    """Units of notifications first accepted within the last ``days`` days: LINE's figures grow
    for a while after a push, and LINE answers for up to 30 days from the start date."""
    since = datetime.datetime.combine(
        today - datetime.timedelta(days=days), datetime.time(), tzinfo=FISCAL_TZ
    )
    return AggregationUnit.objects.filter(notification__first_accepted_at__gte=since).select_related(
        "notification"
    )

"""Times as families and staff read them: Asia/Tokyo, whatever the server's zone."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from guidance.hours import TOKYO


def tokyo(moment):
    return moment.astimezone(TOKYO)


def start_of_day(day):
    """Midnight in Tokyo (15:00 UTC the day before) as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=TOKYO)


def today(now):
    return tokyo(now).date()


def weekday_name(day):
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return names[day.weekday()]


def label(moment):
    """A short label that fits a quick reply (20 characters): 「12/4(金) 10:00」."""
    local = tokyo(moment)
    return f"{local.month}/{local.day}({weekday_name(local)}) {local:%H:%M}"


def long_label(moment):
    local = tokyo(moment)
    return f"{formats.date_format(local, 'DATE_FORMAT')}({weekday_name(local)}) {local:%H:%M}"

"""The hub's own PHQ-9 cases for the outcome KPI (``register_phq9_source``, :mod:`outcomes.kpi`).

A case is a family's first check paired with the follow-up check they took from its invitation:
(start total, follow-up date, follow-up total), counted in the fiscal year of the follow-up and
only when that falls in the first check's fiscal year or the next. Each follow-up follows exactly
one first check (a one-to-one link), so no check is counted in two cases. The KPI applies its own
start threshold (10 by default) and end rule.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kpi import FISCAL_TZ, fiscal_year_of

from .models import KeptResult


def cases(fiscal_year, now=None):
    """The year's cases; with ``now``, only those whose first and follow-up checks were both taken
    on or before its date (Asia/Tokyo)."""
    today = timezone.localtime(now, FISCAL_TZ).date() if now is not None else None
    found = []
    follow_ups = KeptResult.objects.filter(
        follows__isnull=False, follows__follows__isnull=True
    ).select_related("follows")
    for follow_up in follow_ups.order_by("checked_on", "pk"):
        first = follow_up.follows
        if follow_up.checked_on <= first.checked_on:
            continue
        if today is not None and (first.checked_on > today or follow_up.checked_on > today):
            continue
        end_year = fiscal_year_of(follow_up.checked_on)
        if end_year != fiscal_year or end_year - fiscal_year_of(first.checked_on) not in (0, 1):
            continue
        found.append((first.total, follow_up.checked_on, follow_up.total))
    return found


def phq9_source(fiscal_year, now=None):
    from outcomes.kpi import Phq9Source

    return Phq9Source(
        "screening", _("The hub's self-checks (first and follow-up)"), cases(fiscal_year, now=now)
    )

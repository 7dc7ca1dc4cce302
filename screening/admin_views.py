"""The self-check report (checks started, finished, stopped at item 9, routed to each service, per
month; every count from fewer than 5 reads "fewer than 5") and the kept results, which only those
entitled to health data see (the "Outcome data" group, :mod:`outcomes.access`)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .models import CheckRecord, KeptResult, Outcome

SMALL_NUMBER = 5
FEWER_THAN_5 = _("fewer than 5")


def shown(count):
    """A count as it may be shown: zero, 5 or more, else "fewer than 5"."""
    return FEWER_THAN_5 if 0 < count < SMALL_NUMBER else count


def monthly_report():
    """``(services, [(month, started, finished, item9, [per service])])``, newest month first,
    counted from the anonymous check rows."""
    rows = CheckRecord.objects.values("month", "outcome", "service__name").annotate(n=Count("pk"))
    services = sorted({row["service__name"] for row in rows if row["service__name"]})
    months = {}
    for row in rows:
        month = months.setdefault(row["month"], {"started": 0, "finished": 0, "item9": 0, "services": {}})
        month["started"] += row["n"]
        if row["outcome"] == Outcome.FINISHED:
            month["finished"] += row["n"]
            if row["service__name"]:
                month["services"][row["service__name"]] = (
                    month["services"].get(row["service__name"], 0) + row["n"]
                )
        elif row["outcome"] == Outcome.ITEM_9:
            month["item9"] += row["n"]
    return services, [
        (
            month,
            shown(counts["started"]),
            shown(counts["finished"]),
            shown(counts["item9"]),
            [shown(counts["services"].get(name, 0)) for name in services],
        )
        for month, counts in sorted(months.items(), reverse=True)
    ]


def sees_report(user):
    return user.is_active and user.has_perm("screening.view_checkrecord")


def report(request):
    if not sees_report(request.user):
        raise PermissionDenied
    from outcomes.access import sees_health

    services, months = monthly_report()
    return render(
        request,
        "screening/admin/report.html",
        {
            "services": services,
            "months": months,
            "kept": KeptResult.objects.all()[:500] if sees_health(request.user) else None,
        },
    )

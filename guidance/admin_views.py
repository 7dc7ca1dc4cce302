"""The LINE bot report: replies per route per month (from rows), and the unanswered questions."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.shortcuts import render

from .models import BotReply, Route, UnansweredQuestion


def monthly_counts():
    """``[(month, {route: count}, total)]``, newest month first, derived from the reply rows."""
    rows = (
        BotReply.objects.annotate(month=TruncMonth("answered_at"))
        .values("month", "route")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    months = {}
    for row in rows:
        months.setdefault(row["month"], dict.fromkeys(Route.values, 0))[row["route"]] = row["count"]
    return [(month, counts, sum(counts.values())) for month, counts in months.items()]


@permission_required("guidance.view_unansweredquestion", raise_exception=True)
def bot_report(request):
    return render(
        request,
        "guidance/admin/bot_report.html",
        {
            "routes": Route.choices,
            "months": [
                (month, [counts[code] for code in Route.values], total)
                for month, counts, total in monthly_counts()
            ],
            "unanswered": UnansweredQuestion.objects.all()[:200],
        },
    )

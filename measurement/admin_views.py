"""Admin → KPI → Quarterly report, and the not-found topics for editors."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.kpi import FISCAL_TZ
from outcomes.access import sees_dashboard, sees_health

from . import topics
from .forms import QuarterlyReportForm
from .models import QuarterlyReport, QuarterlyReportStatus
from .report import quarter_of
from .tasks import generate_quarterly_report

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_dashboard(request):
    if not sees_dashboard(request.user):
        raise PermissionDenied


def report_index(request):
    """Choose a fiscal quarter; generating it is queued, never done in the request."""
    _require_dashboard(request)
    year, quarter = quarter_of(timezone.now())
    form = QuarterlyReportForm(request.POST or None, initial={"fiscal_year": year, "quarter": quarter})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            row = QuarterlyReport.objects.create(
                **form.cleaned_data, health=sees_health(request.user), requested_by=request.user
            )
            transaction.on_commit(lambda: generate_quarterly_report.delay(row.pk))
        return redirect("measurement_admin:report_status", row.pk)
    reports = QuarterlyReport.objects.defer("html", "pdf", "xlsx")[:20]
    return TemplateResponse(
        request,
        "measurement/admin/report_index.html",
        {"page_title": _("Quarterly report"), "form": form, "reports": reports},
    )


def _report(request, pk):
    _require_dashboard(request)
    row = get_object_or_404(QuarterlyReport.objects.defer("pdf", "xlsx"), pk=pk)
    if row.health and not sees_health(request.user):
        raise PermissionDenied  # made with PHQ-9 figures: only for those entitled to them
    return row


def report_status(request, pk):
    row = _report(request, pk)
    return TemplateResponse(
        request,
        "measurement/admin/report_status.html",
        {
            "page_title": _("Quarterly report"),
            "report": row,
            "running": row.status in (QuarterlyReportStatus.PENDING, QuarterlyReportStatus.RUNNING),
        },
    )


def report_html(request, pk):
    row = _report(request, pk)
    if row.status != QuarterlyReportStatus.DONE:
        raise Http404
    return HttpResponse(row.html)


def report_download(request, pk, file_format):
    row = _report(request, pk)
    if file_format not in CONTENT_TYPES or row.status != QuarterlyReportStatus.DONE:
        raise Http404
    data = QuarterlyReport.objects.filter(pk=pk).values_list(file_format, flat=True)[0]
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPES[file_format])
    filename = f"quarterly-report-FY{row.fiscal_year}-Q{row.quarter}-{row.language}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def not_found_topics(request):
    """The top 20 topics per month over the last three months (a topic shown from 5 a month)."""
    _require_dashboard(request)
    today = timezone.now().astimezone(FISCAL_TZ).date()
    first = today.replace(day=1)
    start_month = (first - datetime.timedelta(days=62)).replace(day=1)
    start = datetime.datetime.combine(start_month, datetime.time(), tzinfo=FISCAL_TZ)
    months = topics.monthly_topics(start, timezone.now() + datetime.timedelta(seconds=1))
    return TemplateResponse(
        request,
        "measurement/admin/not_found.html",
        {
            "page_title": _("What parents did not find"),
            "months": sorted(months.items(), reverse=True),
            "minimum": topics.MIN_OCCURRENCES,
        },
    )

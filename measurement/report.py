"""The quarterly effect report: one document for the city per fiscal quarter.

It lives here rather than in outcomes because most of what it says is measurement's (opens, clicks,
what parents did not find), while outcomes never imports other apps' figures: measurement reads
outcomes' scorecard, not the other way round. The same data (:func:`build`) makes the admin page,
the PDF (WeasyPrint, from the same HTML, with Noto Sans CJK) and the Excel workbook (openpyxl,
through ``cms.exports``: no cell ever holds a formula). Every small figure follows the dashboard's
rule ("fewer than 5"), LINE's hidden ones read "fewer than 20". Generation runs in a Celery task
(:func:`generate`), which records its progress on the :class:`QuarterlyReport` row.
"""

import datetime
import io
import logging
from dataclasses import dataclass, field

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.kpi import FISCAL_TZ, quarter_bounds
from outcomes import kpi as outcomes_kpi

from . import figures, topics
from .models import QuarterlyReport, QuarterlyReportStatus

logger = logging.getLogger(__name__)
BEST_WORST = 5


def previous_quarter(fiscal_year, quarter):
    return (fiscal_year, quarter - 1) if quarter > 1 else (fiscal_year - 1, 4)


def quarter_of(moment):
    local = moment.astimezone(FISCAL_TZ)
    fiscal_year = local.year if local.month >= 4 else local.year - 1
    return fiscal_year, (local.month - 4) % 12 // 3 + 1


def quarter_label(fiscal_year, quarter):
    return _("FY%(year)s Q%(quarter)s") % {"year": fiscal_year, "quarter": quarter}


@dataclass
class KpiRow:
    label: str
    definition: str
    display: str
    target: str
    achievement: str
    pace: str
    previous: str
    change: str
    percent: int | None


@dataclass
class PushRow:
    when: datetime.datetime
    title: str
    figures: object
    campaign: str = ""


@dataclass
class Report:
    fiscal_year: int
    quarter: int
    label: str
    period: str
    start: datetime.datetime
    end: datetime.datetime
    kpis: list = field(default_factory=list)
    surveys: list = field(default_factory=list)
    pushes: list = field(default_factory=list)
    best: list = field(default_factory=list)
    worst: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)
    uses: list = field(default_factory=list)
    routes: list = field(default_factory=list)
    not_found: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    generated_at: datetime.datetime | None = None


def _pace(figure, elapsed):
    on_pace = figure.on_pace(elapsed)
    if on_pace is None:
        return "—"
    return _("on pace") if on_pace else _("behind")


def _number(value):
    if value is None:
        return "—"
    return outcomes_kpi._format(value)


def _as_of(end):
    """The moment a report's figures are counted at: its quarter's last second, or now if sooner."""
    return min(timezone.now(), end - datetime.timedelta(seconds=1))


def _kpis(fiscal_year, quarter, health, start, end):
    now = _as_of(end)
    elapsed = outcomes_kpi.elapsed_share(fiscal_year, now=now)
    current = outcomes_kpi.scorecard(fiscal_year, now=now, health=health)
    prev_year, prev_quarter = previous_quarter(fiscal_year, quarter)
    _prev_start, prev_end = quarter_bounds(prev_year, prev_quarter)
    previous = {
        figure.key: figure
        for figure in outcomes_kpi.scorecard(
            prev_year, now=prev_end - datetime.timedelta(seconds=1), health=health
        )
    }
    rows = []
    for figure in current:
        before = previous.get(figure.key)
        change = "—"
        comparable = before is not None and not figure.hidden and not before.hidden
        if comparable and figure.value is not None and before.value is not None:
            delta = float(figure.value) - float(before.value)
            change = f"{delta:+,.1f}".replace(".0", "") if delta != int(delta) else f"{int(delta):+,}"
        rows.append(
            KpiRow(
                label=str(figure.label),
                definition=str(figure.definition),
                display=figure.display,
                target=f"{_number(figure.target)}{figure.unit}",
                achievement="—" if figure.achievement_percent is None else f"{figure.achievement_percent}%",
                pace=str(_pace(figure, elapsed)),
                previous=before.display if before is not None else "—",
                change=change,
                percent=figure.percent,
            )
        )
    return rows


def _surveys(fiscal_year, quarter, end):
    from outcomes.models import SurveyPage

    found = []
    for survey in SurveyPage.objects.filter(fiscal_year=fiscal_year, quarter=quarter).order_by("pk"):
        questions = []
        # The answers counted by the report's KPI rows: those given by the quarter's end.
        for summary in outcomes_kpi.question_summaries(survey, free_text=False, now=_as_of(end)):
            if summary["kind"] not in ("rating", "choice"):
                continue  # free text is never in the report
            total = summary["answered"].value or 0
            cells = [
                {
                    "label": label,
                    "display": point.display,
                    "percent": round(100 * point.shown / total) if point.shown and total else 0,
                }
                for label, point in summary["distribution"]
            ]
            questions.append(
                {
                    "label": summary["question"].label,
                    "answered": summary["answered"].display,
                    "mean": summary["mean"].display if summary["kind"] == "rating" else "",
                    "cells": cells,
                }
            )
        found.append({"title": survey.title, "questions": questions})
    return found


def _pushes(start, end):
    from campaigns.models import PushDispatch

    notifications = list(figures.sent_between(start, end).order_by("first_accepted_at"))
    measured = figures.for_notifications([n.pk for n in notifications])
    campaigns = dict(
        PushDispatch.objects.filter(notification_id__in=[n.pk for n in notifications]).values_list(
            "notification_id", "campaign__title"
        )
    )
    return [
        PushRow(n.first_accepted_at.astimezone(FISCAL_TZ), n.title, measured[n.pk], campaigns.get(n.pk, ""))
        for n in notifications
    ]


def _best_worst(pushes):
    rated = [row for row in pushes if row.figures.click_rate is not None]
    rated.sort(key=lambda row: (-row.figures.click_rate, row.when))
    best = rated[:BEST_WORST]
    worst = [row for row in reversed(rated) if row not in best][:BEST_WORST]
    return best, worst


def _campaigns(pushes):
    found = {}
    for row in pushes:
        if row.campaign:
            found.setdefault(row.campaign, []).append(row)
    result = []
    for title, rows in found.items():
        delivered = sum(row.figures.delivered.shown or 0 for row in rows)
        clicks = sum(row.figures.clicks_hub.shown or 0 for row in rows)
        result.append(
            {
                "title": title,
                "pushes": len(rows),
                "delivered": figures.own_measure(delivered).display,
                "clicks": figures.own_measure(clicks).display,
                "rows": rows,
            }
        )
    return result


def _uses(fiscal_year, start, end):
    months = [m for m in outcomes_kpi.fiscal_months(fiscal_year) if start.date() <= m < end.date()]
    rows = []
    for _key, label, monthly in outcomes_kpi.use_sources(fiscal_year, now=_as_of(end)):
        points = [outcomes_kpi.Point(f"{m:%Y-%m}", monthly.get(m, 0), monthly.get(m, 0)) for m in months]
        total = sum(p.value or 0 for p in points)
        if outcomes_kpi.disclosure.protect(points):
            for point in points:
                point.withheld = point.withheld or bool(point.value)
        rows.append(
            {
                "label": label,
                "months": [p.display for p in points],
                "total": outcomes_kpi.Point("", total, total).display,
            }
        )
    return [f"{m:%Y-%m}" for m in months], rows


def _routes(start, end):
    from guidance.models import BotReply, Route

    counts = dict(
        BotReply.objects.filter(answered_at__gte=start, answered_at__lt=end)
        .values("route")
        .annotate(n=Count("id"))
        .values_list("route", "n")
    )
    total = sum(counts.values())
    rows = []
    for value, label in Route.choices:
        n = counts.get(value, 0)
        measure = figures.own_measure(n)
        share = round(100 * n / total) if total and measure.shown else 0
        rows.append({"label": str(label), "display": measure.display, "percent": share})
    return rows


def build(fiscal_year, quarter, health=False, progress=None):
    """The report's data for one fiscal quarter; ``progress(percent, step)`` is told as it goes."""
    progress = progress or (lambda percent, step: None)
    start, end = quarter_bounds(fiscal_year, quarter)
    last_day = (end - datetime.timedelta(days=1)).date()
    report = Report(
        fiscal_year=fiscal_year,
        quarter=quarter,
        label=quarter_label(fiscal_year, quarter),
        period=f"{start.date():%Y-%m-%d} – {last_day:%Y-%m-%d}",
        start=start,
        end=end,
        generated_at=timezone.now().astimezone(FISCAL_TZ),
    )
    progress(10, _("The six KPIs"))
    report.kpis = _kpis(fiscal_year, quarter, health, start, end)
    progress(30, _("Surveys"))
    report.surveys = _surveys(fiscal_year, quarter, end)
    progress(45, _("Pushes"))
    report.pushes = _pushes(start, end)
    report.best, report.worst = _best_worst(report.pushes)
    report.campaigns = _campaigns(report.pushes)
    progress(60, _("Service uses and the bot"))
    report.use_months, report.uses = _uses(fiscal_year, start, end)
    report.routes = _routes(start, end)
    progress(70, _("What parents did not find"))
    report.not_found = [{"topic": t, "count": n} for t, n in topics.period_topics(start, end)]
    report.changes = _changes(report, fiscal_year, quarter)
    return report


def _changes(report, fiscal_year, quarter):
    prev_start, prev_end = quarter_bounds(*previous_quarter(fiscal_year, quarter))
    before = _pushes(prev_start, prev_end)

    def mean_rate(rows, attribute):
        rates = [
            getattr(row.figures, attribute) for row in rows if getattr(row.figures, attribute) is not None
        ]
        return round(sum(rates) / len(rates), 1) if rates else None

    not_found_before = sum(n for _t, n in topics.period_topics(prev_start, prev_end, top=None))
    not_found_now = sum(item["count"] for item in report.not_found)
    lines = [
        (_("Pushes sent"), str(len(before)), str(len(report.pushes))),
        (
            _("Mean open rate"),
            figures.rate_display(mean_rate(before, "open_rate")),
            figures.rate_display(mean_rate(report.pushes, "open_rate")),
        ),
        (
            _("Mean click rate"),
            figures.rate_display(mean_rate(before, "click_rate")),
            figures.rate_display(mean_rate(report.pushes, "click_rate")),
        ),
        (_("Questions not found (shown topics)"), str(not_found_before), str(not_found_now)),
    ]
    return [{"label": label, "before": b, "now": n} for label, b, n in lines]


def render_html(report, for_pdf=False):
    return render_to_string("measurement/quarterly_report.html", {"report": report, "for_pdf": for_pdf})


def render_pdf(html):
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


def render_xlsx(report):
    from openpyxl import Workbook

    from cms.exports import xlsx_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("KPIs")[:31]
    sheet.append(xlsx_row(sheet, [report.label, report.period]))
    sheet.append(
        xlsx_row(
            sheet,
            [_("KPI"), _("Value"), _("Target"), _("Achievement"), _("Pace"), _("Last quarter"), _("Change")],
        )
    )
    for row in report.kpis:
        sheet.append(
            xlsx_row(
                sheet,
                [row.label, row.display, row.target, row.achievement, row.pace, row.previous, row.change],
            )
        )
    sheet = workbook.create_sheet(_("Surveys")[:31])
    for survey in report.surveys:
        sheet.append(xlsx_row(sheet, [survey["title"]]))
        for question in survey["questions"]:
            sheet.append(
                xlsx_row(
                    sheet,
                    [question["label"], question["answered"], question["mean"]]
                    + [f"{c['label']}: {c['display']}" for c in question["cells"]],
                )
            )
    sheet = workbook.create_sheet(_("Pushes")[:31])
    sheet.append(
        xlsx_row(
            sheet,
            [
                _("Sent"),
                _("Title"),
                _("Campaign"),
                _("Delivered"),
                _("Opened"),
                _("Open rate"),
                _("Clicked (LINE)"),
                _("Clicks (hub)"),
                _("Click rate"),
            ],
        )
    )
    for row in report.pushes:
        f = row.figures
        sheet.append(
            xlsx_row(
                sheet,
                [
                    row.when.replace(tzinfo=None),
                    row.title,
                    row.campaign,
                    f.delivered.shown if f.delivered.shown is not None else f.delivered.display,
                    f.opened.shown if f.opened.shown is not None else f.opened.display,
                    f.open_rate_display,
                    f.clicked_line.shown if f.clicked_line.shown is not None else f.clicked_line.display,
                    f.clicks_hub.shown if f.clicks_hub.shown is not None else f.clicks_hub.display,
                    f.click_rate_display,
                ],
            )
        )
    sheet = workbook.create_sheet(_("Service uses")[:31])
    sheet.append(xlsx_row(sheet, [_("Source"), *report.use_months, _("Total")]))
    for row in report.uses:
        sheet.append(xlsx_row(sheet, [row["label"], *row["months"], row["total"]]))
    sheet = workbook.create_sheet(_("Bot routes")[:31])
    for row in report.routes:
        sheet.append(xlsx_row(sheet, [row["label"], row["display"]]))
    sheet = workbook.create_sheet(_("Not found")[:31])
    sheet.append(xlsx_row(sheet, [_("Topic"), _("Times asked")]))
    for row in report.not_found:
        sheet.append(xlsx_row(sheet, [row["topic"], row["count"]]))
    sheet = workbook.create_sheet(_("Change")[:31])
    sheet.append(xlsx_row(sheet, ["", _("Last quarter"), _("This quarter")]))
    for row in report.changes:
        sheet.append(xlsx_row(sheet, [row["label"], row["before"], row["now"]]))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _update(report_pk, **fields):
    QuarterlyReport.objects.filter(pk=report_pk).update(**fields)


def generate(report_pk):
    """Make the report's HTML, PDF and workbook; idempotent (a second run makes them again)."""
    row = QuarterlyReport.objects.get(pk=report_pk)
    _update(report_pk, status=QuarterlyReportStatus.RUNNING, progress=5, error="")
    try:
        with translation.override(row.language):
            data = build(
                row.fiscal_year,
                row.quarter,
                health=row.health,
                progress=lambda percent, step: _update(report_pk, progress=percent, step=str(step)),
            )
            html = render_html(data)
            _update(report_pk, progress=80, step=_("Making the PDF"))
            pdf = render_pdf(render_html(data, for_pdf=True))
            _update(report_pk, progress=90, step=_("Making the Excel workbook"))
            xlsx = render_xlsx(data)
    except Exception as error:
        logger.exception("Quarterly report %s failed", report_pk)
        _update(report_pk, status=QuarterlyReportStatus.FAILED, error=type(error).__name__)
        raise
    _update(
        report_pk,
        status=QuarterlyReportStatus.DONE,
        progress=100,
        step="",
        html=html,
        pdf=pdf,
        xlsx=xlsx,
        finished_at=timezone.now(),
    )

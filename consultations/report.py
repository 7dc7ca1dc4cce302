"""Figures from the conversation rows: the "uses" KPI line and the contractor's monthly results
report (相談結果報告): conversations, topics, first-answer times, hand-overs and ratings.

Every figure resting on fewer than 5 people is suppressed ("fewer than 5", ``outcomes.kpi``'s rule)
and, where a distribution is shown with its total, further cells are withheld
(``outcomes.disclosure.protect``) so that no small one can be worked out. People are families: a
LINE follower counts once however many conversations they had; a browser conversation is one
family. The report reads the counts on the conversation rows, which outlive the purged text.

Ratings (1–5, from the family at the end of a conversation) are shown beside the satisfaction KPI,
which comes from the quarterly surveys on another scale; they are never merged into it.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.exports import xlsx_row
from notifications.kpi import FISCAL_TZ, fiscal_year_bounds

from . import access
from .models import CloseCode, Conversation, FamilyTopic, Status

SMALL = 5


def _suppressed(people):
    return 0 < people < SMALL


def _month_bounds(month):
    start = datetime.datetime.combine(month.replace(day=1), datetime.time(0), tzinfo=FISCAL_TZ)
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start, datetime.datetime.combine(following, datetime.time(0), tzinfo=FISCAL_TZ)


def _person(conversation):
    return conversation.line_user_id or f"conversation:{conversation.pk}"


def use_counts(fiscal_year, now=None):
    """Closed conversations per (the service's report code, first day of the month closed), only
    those closed at or before ``now`` (when given)."""
    start, end = fiscal_year_bounds(fiscal_year)
    counts = {}
    closed = Conversation.objects.filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
    if now is not None:
        closed = closed.filter(closed_at__lte=now)
    rows = closed.values_list("service__report_code", "closed_at")
    for code, closed_at in rows:
        month = closed_at.astimezone(FISCAL_TZ).date().replace(day=1)
        counts[(code, month)] = counts.get((code, month), 0) + 1
    return counts


def use_source(fiscal_year, now=None):
    from outcomes import kpi

    return kpi.UseSource(
        "consultations", gettext_lazy("Text consultations (hub)"), use_counts(fiscal_year, now=now)
    )


@dataclass
class Line:
    """One figure of the report: its label, value and the number of families it rests on."""

    label: str
    value: object
    people: int
    withheld: bool = False
    unit: str = ""

    @property
    def small(self):
        return _suppressed(self.people)

    @property
    def hidden(self):
        return self.small or self.withheld

    @property
    def display(self):
        if self.small:
            return str(_("fewer than 5"))
        if self.withheld:
            return str(_("not shown"))
        if self.value is None:
            return "—"
        return f"{self.value}{self.unit}"

    @property
    def cell(self):
        """The value for a spreadsheet: a number, or the label that replaces it."""
        if self.hidden or self.value is None:
            return self.display
        return self.value


@dataclass
class Section:
    heading: str
    lines: list = field(default_factory=list)


def _count_line(label, conversations):
    return Line(label, len(conversations), len({_person(c) for c in conversations}))


def _protect(lines):
    """Withhold cells of a distribution shown with its total (outcomes.disclosure's rule)."""
    from outcomes import disclosure

    class Cell:
        def __init__(self, line):
            self.line, self.value, self.withheld = line, line.value, False

        @property
        def small(self):
            return self.line.small

        @property
        def hidden(self):
            return self.small or self.withheld

    cells = [Cell(line) for line in lines]
    disclosure.protect(cells, total_shown=True)
    for cell in cells:
        cell.line.withheld = cell.withheld


def monthly_report(month, service=None):
    """The monthly results report for ``month`` (any day in it), for one service or all.

    Returns:
        A list of :class:`Section`, from rows of conversations opened in the month.
    """
    start, end = _month_bounds(month)
    rows = Conversation.objects.filter(opened_at__gte=start, opened_at__lt=end).select_related("close_code")
    if service is not None:
        rows = rows.filter(service=service.source())
    rows = list(rows)
    closed = [c for c in rows if c.status == Status.CLOSED]
    total = _count_line(_("Conversations opened"), rows)
    overview = Section(
        _("Conversations"),
        [
            total,
            _count_line(_("Closed"), closed),
            _count_line(_("Still open"), [c for c in rows if c.status != Status.CLOSED]),
            _count_line(_("With a crisis message"), [c for c in rows if c.crisis_at]),
            _count_line(_("Handed over at least once"), [c for c in rows if c.handovers]),
            Line(
                _("Hand-overs"),
                sum(c.handovers for c in rows),
                len({_person(c) for c in rows if c.handovers}),
            ),
        ],
    )
    families = Section(
        _("What families asked about"),
        [
            _count_line(str(label), [c for c in rows if c.topic == value])
            for value, label in FamilyTopic.choices
        ],
    )
    _protect(families.lines)
    codes = Section(
        _("Topic codes at closing"),
        [
            _count_line(str(code), [c for c in closed if c.close_code_id == code.pk])
            for code in CloseCode.objects.all()
        ],
    )
    codes.lines.append(
        _count_line(_("Closed by the family (no code)"), [c for c in closed if c.close_code_id is None])
    )
    _protect(codes.lines)
    answered = [c for c in rows if c.first_answer_at]
    minutes = [(c.first_answer_at - c.opened_at).total_seconds() / 60 for c in answered]
    answered_people = len({_person(c) for c in answered})
    times = Section(
        _("Time to the first answer"),
        [
            _count_line(_("Answered"), answered),
            Line(
                _("Median"),
                round(statistics.median(minutes)) if minutes else None,
                answered_people,
                unit=_(" min"),
            ),
            Line(
                _("90th percentile"),
                round(statistics.quantiles(minutes, n=10, method="inclusive")[-1])
                if len(minutes) > 1
                else None,
                answered_people,
                unit=_(" min"),
            ),
        ],
    )
    rated = [c for c in closed if c.rating]
    rated_people = len({_person(c) for c in rated})
    ratings = Section(
        _("Ratings (1–5, from families at closing)"),
        [
            _count_line(_("Rated"), rated),
            Line(
                _("Mean rating"),
                round(statistics.fmean(c.rating for c in rated), 1) if rated else None,
                rated_people,
            ),
        ],
    )
    distribution = [_count_line(str(score), [c for c in rated if c.rating == score]) for score in range(1, 6)]
    _protect(distribution)
    ratings.lines.extend(distribution)
    return [overview, families, codes, times, ratings]


def _month_from(request):
    value = request.GET.get("month", "")
    try:
        return datetime.date.fromisoformat(value + "-01")
    except ValueError:
        today = timezone.localdate()
        return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _survey_satisfaction(month):
    """The satisfaction KPI of the fiscal year (from surveys), shown beside the ratings, never merged."""
    from notifications.kpi import fiscal_year_of
    from outcomes import kpi
    from outcomes.models import KpiSettings

    try:
        figure = kpi.survey_figures(fiscal_year_of(_month_bounds(month)[0]), KpiSettings.load())[0]
    except Exception:  # the report stands without the survey figure
        return None
    return figure


def report_view(request):
    services = list(access.services_for(request.user))
    if not services:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    month = _month_from(request)
    service = next((s for s in services if str(s.pk) == request.GET.get("service")), None)
    if service is None and not access.supervises(request.user):
        service = services[0]
    sections = monthly_report(month, service)
    if request.GET.get("format") == "xlsx":
        return _xlsx(sections, month, service)
    return render(
        request,
        "consultations/admin/report.html",
        {
            "sections": sections,
            "month": month,
            "service": service,
            "services": services,
            "satisfaction": _survey_satisfaction(month),
        },
    )


def _xlsx(sections, month, service):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Results report")
    sheet.append(
        xlsx_row(
            sheet,
            [
                _("Consultation results report"),
                f"{month:%Y-%m}",
                str(service) if service else _("All services"),
            ],
        )
    )
    sheet.append(xlsx_row(sheet, [_("Figures from fewer than 5 families are not shown.")]))
    for section in sections:
        sheet.append(xlsx_row(sheet, []))
        sheet.append(xlsx_row(sheet, [section.heading]))
        for line in section.lines:
            sheet.append(xlsx_row(sheet, [line.label, line.cell]))
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="consultation-report-{month:%Y-%m}.xlsx"'
    return response

"""The year's scorecard as CSV and Excel, with the small-number rule already applied.

Wagtail's ``SpreadsheetExportMixin`` exports a list view's queryset; the scorecard is computed
figures, not rows of one model, so the same two formats are written here directly.
"""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cms.exports import Percent, csv_row, xlsx_row


def _number(value, unit):
    """A shown figure as a number: a percentage as a share Excel formats as one."""
    if unit == "%":
        return Percent(float(value) / 100)
    return value


def _cell(point, unit):
    """A point's cell: its number, or the words that hide it ("fewer than 5", "not shown", "—")."""
    return point.display if point.shown is None else _number(point.shown, unit)


def figure_rows(figures, elapsed):
    """The figures as typed cells: numbers, :class:`~cms.exports.Percent` shares and text."""
    header = [_("KPI"), _("Value"), _("Target"), _("Progress (%)"), _("On pace"), _("Definition")]
    rows = [header]
    for figure in figures:
        pace = figure.on_pace(elapsed)
        withheld = figure.hidden or figure.value is None
        rows.append(
            [
                figure.label,
                figure.display if withheld else _number(figure.value, figure.unit),
                _number(figure.target, figure.unit),
                "" if figure.achievement is None else Percent(figure.achievement),
                "" if pace is None else (_("yes") if pace else _("no")),
                figure.definition,
            ]
        )
        for label, point in figure.extra:
            rows.append([f"{figure.label}: {label}", _cell(point, ""), "", "", "", ""])
    return rows


def breakdown_rows(figures, extra_lines):
    rows = [[_("KPI"), pgettext("chart series", "Line"), _("Period"), _("Value")]]
    for figure in figures:
        for series in figure.series:
            for point in series.points:
                rows.append([figure.label, series.label, point.label, _cell(point, series.unit)])
    for series in extra_lines:
        for point in series.points:
            rows.append([series.label, series.label, point.label, _cell(point, series.unit)])
    return rows


def as_csv(fiscal_year, figures, extra_lines, elapsed):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_row([_("Fiscal year %(year)d") % {"year": fiscal_year}]))
    writer.writerows(csv_row(row) for row in figure_rows(figures, elapsed))
    writer.writerow([])
    writer.writerows(csv_row(row) for row in breakdown_rows(figures, extra_lines))
    # A BOM so that Excel opens the Japanese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(fiscal_year, figures, extra_lines, elapsed):
    import openpyxl  # 175 modules, 13 MB: loaded by the export that needs it, not by every web worker

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    sheet.append(xlsx_row(sheet, [_("Fiscal year %(year)d") % {"year": fiscal_year}]))
    for row in figure_rows(figures, elapsed):
        sheet.append(xlsx_row(sheet, row))
    monthly = book.create_sheet(_("Monthly")[:31])
    for row in breakdown_rows(figures, extra_lines):
        monthly.append(xlsx_row(monthly, row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

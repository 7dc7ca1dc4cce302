"""The year's scorecard as CSV and Excel, with the small-number rule already applied.

Wagtail's ``SpreadsheetExportMixin`` exports a list view's queryset; the scorecard is computed
figures, not rows of one model, so the same two formats are written here directly.
"""

import csv
import io

import openpyxl

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def figure_rows(figures, elapsed):
    header = [_("KPI"), _("Value"), _("Target"), _("Progress (%)"), _("On pace"), _("Definition")]
    rows = [header]
    for figure in figures:
        pace = figure.on_pace(elapsed)
        rows.append(
            [
                figure.label,
                figure.display + figure.unit
                if not figure.hidden and figure.value is not None
                else figure.display,
                f"{figure.target}{figure.unit}",
                "" if figure.percent is None else figure.percent,
                "" if pace is None else (_("yes") if pace else _("no")),
                figure.definition,
            ]
        )
        for label, point in figure.extra:
            rows.append([f"{figure.label}: {label}", point.display, "", "", "", ""])
    return rows


def _shown(figure):
    if figure.hidden or figure.value is None:
        return figure.display
    return figure.display + figure.unit


def breakdown_rows(figures, extra_lines):
    rows = [[_("KPI"), pgettext("chart series", "Line"), _("Period"), _("Value")]]
    for figure in figures:
        for series in figure.series:
            for point in series.points:
                rows.append([figure.label, series.label, point.label, point.display])
    for series in extra_lines:
        for point in series.points:
            rows.append([series.label, series.label, point.label, point.display])
    return rows


def as_csv(fiscal_year, figures, extra_lines, elapsed):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Fiscal year %(year)d") % {"year": fiscal_year}])
    writer.writerows(figure_rows(figures, elapsed))
    writer.writerow([])
    writer.writerows(breakdown_rows(figures, extra_lines))
    # A BOM so that Excel opens the Japanese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(fiscal_year, figures, extra_lines, elapsed):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    sheet.append([_("Fiscal year %(year)d") % {"year": fiscal_year}])
    for row in figure_rows(figures, elapsed):
        sheet.append(row)
    monthly = book.create_sheet(_("Monthly")[:31])
    for row in breakdown_rows(figures, extra_lines):
        monthly.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""Spreadsheet cells that never run: every CSV and Excel file the hub writes goes through here.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (OWASP, "CSV Injection"); such text is written
with a leading apostrophe in CSV, and as a text cell with Excel's quote prefix in a workbook.
Numbers stay numbers; a :class:`Percent` is a number Excel formats as a percentage.
"""

import datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERCENT_FORMAT = "0.0%"


class Percent(float):
    """A share (0.725 for 72.5 %), written as a number with a percentage format."""

    def as_text(self):
        return f"{100 * self:.1f}".rstrip("0").rstrip(".") + "%"


def safe_text(value):
    """Text that no spreadsheet reads as a formula: OWASP's leading apostrophe when it could."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_value(value):
    """One CSV field: numbers as written, a percentage as ``72.5%``, anything else as safe text."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        return value.as_text()
    if _is_number(value) or isinstance(value, datetime.date | datetime.time):
        return value
    return safe_text(value)


def csv_row(values):
    return [csv_value(value) for value in values]


def set_xlsx_value(cell, value):
    """Fill an openpyxl cell: text is a text cell (never a formula), numbers numeric."""
    if isinstance(value, Percent):
        cell.value = float(value)
        cell.number_format = PERCENT_FORMAT
    elif value is None or _is_number(value) or isinstance(value, datetime.date | datetime.time):
        cell.value = value
    else:
        text = str(value)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def xlsx_row(sheet, values):
    """Cells for ``sheet.append``: works for normal and write-only worksheets alike."""
    # Imported here: web workers that never write a workbook need not hold openpyxl.
    from openpyxl.cell import Cell, WriteOnlyCell

    cell_class = WriteOnlyCell if getattr(sheet, "_write_only", False) else Cell
    return [set_xlsx_value(cell_class(sheet), value) for value in values]


def neutralise_wagtail_exports():
    """Every spreadsheet Wagtail's admin writes for the hub (its reports such as Site history and
    Aging pages, listings' CSV/Excel downloads, the project's own report views) passes through
    ``SpreadsheetExportMixin.preprocess_field_value``: text leaving it for a CSV is made safe there,
    once. (Wagtail already turns a workbook cell it would read as a formula into text.)"""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin.preprocess_field_value, "neutralises_formulas", False):
        return
    original = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return safe_text(value)
        return value

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value

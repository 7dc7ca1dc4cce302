"""The contractor's monthly reports, read and saved through django-import-export.

``preview`` runs the whole import in a transaction that is always rolled back and returns every
row's problem; ``apply`` runs it again and keeps it only when no row has a problem (all or
nothing). Rows are keyed on (month, service) and on the case ID, so a re-import changes nothing
and a corrected row replaces the old one.
"""

import datetime
import io
from dataclasses import dataclass, field

from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .forms import ReportKind
from .models import CounsellingOutcome, Service, ServiceUsage


class MonthWidget(widgets.DateWidget):
    """A month written ``2026-04``, ``2026/4`` or as a date in that month; kept as its first day."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        text = str(value or "").strip().replace("/", "-")
        if not text:
            raise ValueError(_("The month is missing."))
        parts = text.split("-")
        try:
            return datetime.date(int(parts[0]), int(parts[1]), 1)
        except (ValueError, IndexError) as error:
            raise ValueError(_("“%(value)s” is not a month (write 2026-04).") % {"value": value}) from error


class ServiceWidget(widgets.ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip()
        try:
            return Service.objects.get(code=code)
        except Service.DoesNotExist as error:
            known = ", ".join(Service.objects.values_list("code", flat=True))
            raise ValueError(
                _("Unknown service “%(code)s”; known services: %(known)s.") % {"code": code, "known": known}
            ) from error


class StrictDateWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            raise ValueError(_("The date is missing."))
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip().replace("/", "-"))
        except ValueError as error:
            raise ValueError(_("“%(value)s” is not a date (write 2026-04-15).") % {"value": value}) from error


class ScoreWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            score = int(str(value).strip())
        except (TypeError, ValueError) as error:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value}) from error
        if not 0 <= score <= 27:
            raise ValueError(_("A PHQ-9 total runs from 0 to 27, not %(score)d.") % {"score": score})
        return score


class ReportResource(resources.ModelResource):
    """A report's rows: each key may appear once in a file (a second row would silently win)."""

    def before_import(self, dataset, **kwargs):
        self._seen = set()

    def claim(self, key, field_name, message):
        if key in self._seen:
            raise ValidationError({field_name: message})
        self._seen.add(key)


class UsageResource(ReportResource):
    month = fields.Field(attribute="month", column_name="month", widget=MonthWidget())
    service = fields.Field(attribute="service", column_name="service", widget=ServiceWidget(Service, "code"))
    uses = fields.Field(attribute="uses", column_name="uses", widget=widgets.IntegerWidget())

    class Meta:
        model = ServiceUsage
        fields = ("month", "service", "uses")
        import_id_fields = ("month", "service")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_import_row(self, row, **kwargs):
        key = (str(row.get("month")).strip(), str(row.get("service")).strip())
        self.claim(key, "service", _("This month and service appear twice in the file."))
        uses = str(row.get("uses") or "").strip()
        if not uses.isdigit():
            raise ValidationError({"uses": _("The number of uses must be a whole number of 0 or more.")})


class OutcomeResource(ReportResource):
    case_id = fields.Field(attribute="case_id", column_name="case_id")
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=StrictDateWidget())
    start_score = fields.Field(attribute="start_score", column_name="start_score", widget=ScoreWidget())
    end_date = fields.Field(attribute="end_date", column_name="end_date", widget=StrictDateWidget())
    end_score = fields.Field(attribute="end_score", column_name="end_score", widget=ScoreWidget())

    class Meta:
        model = CounsellingOutcome
        fields = ("case_id", "start_date", "start_score", "end_date", "end_score")
        import_id_fields = ("case_id",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_import_row(self, row, **kwargs):
        case_id = str(row.get("case_id") or "").strip()
        if not case_id:
            raise ValidationError({"case_id": _("The case ID is missing.")})
        self.claim(case_id, "case_id", _("Case ID “%(id)s” appears twice in the file.") % {"id": case_id})
        row["case_id"] = case_id


RESOURCES = {ReportKind.USAGE: UsageResource, ReportKind.OUTCOMES: OutcomeResource}


class FileProblem(Exception):
    """The file as a whole cannot be read: wrong type, too large, wrong columns."""


@dataclass
class RowReport:
    number: int
    values: dict
    status: str  # new, update, skip, invalid, error
    problems: list = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    rows: list
    totals: dict

    @property
    def ok(self):
        return not any(row.problems for row in self.rows)

    @property
    def problem_rows(self):
        return [row for row in self.rows if row.problems]


def read_dataset(content, filename, kind):
    """Read bytes as CSV (UTF-8) or Excel into a tablib Dataset, checking its columns and size.

    Raises:
        FileProblem: not CSV or Excel, too large, too many rows or wrong columns.
    """
    if len(content) > settings.OUTCOMES_IMPORT_MAX_BYTES:
        raise FileProblem(
            _("The file is too large; the limit is %(limit)d KB.")
            % {"limit": settings.OUTCOMES_IMPORT_MAX_BYTES // 1024}
        )
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            if not content.startswith(b"PK"):
                raise ValueError("not a zip")
            dataset = XLSX().create_dataset(io.BytesIO(content).read())
        elif name.endswith(".csv"):
            text = content.decode("utf-8-sig")
            if "\x00" in text:
                raise ValueError("binary")
            import tablib

            dataset = tablib.Dataset().load(text, format="csv")
        else:
            raise FileProblem(_("Upload a CSV or an Excel (.xlsx) file."))
    except FileProblem:
        raise
    except Exception as error:
        raise FileProblem(_("The file could not be read as CSV (UTF-8) or Excel (.xlsx).")) from error
    headers = [str(h or "").strip() for h in (dataset.headers or [])]
    dataset.headers = headers
    expected = list(RESOURCES[kind]._meta.fields)
    missing = [column for column in expected if column not in headers]
    if missing:
        raise FileProblem(
            _("The file lacks the columns %(missing)s; its first row must name %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(expected)}
        )
    if len(dataset) > settings.OUTCOMES_IMPORT_MAX_ROWS:
        raise FileProblem(
            _("The file has %(rows)d rows; the limit is %(limit)d.")
            % {"rows": len(dataset), "limit": settings.OUTCOMES_IMPORT_MAX_ROWS}
        )
    if not len(dataset):
        raise FileProblem(_("The file has no rows."))
    return dataset


def _run(kind, dataset, dry_run):
    resource = RESOURCES[kind]()
    result = resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    rows = []
    for number, row_result in enumerate(result.rows, start=1):
        values = dict(zip(dataset.headers, dataset[number - 1], strict=False))
        problems = []
        if row_result.validation_error is not None:
            for field_name, messages in row_result.validation_error.message_dict.items():
                problems += [
                    f"{field_name}: {message}" if field_name != "__all__" else message for message in messages
                ]
        problems += [str(error.error) for error in row_result.errors]
        rows.append(RowReport(number + 1, values, row_result.import_type, problems))
    return ImportReport(kind, rows, dict(result.totals))


def preview(kind, content, filename):
    """Every row's outcome and problems; nothing is saved."""
    return _run(kind, read_dataset(content, filename, kind), dry_run=True)


def apply(kind, content, filename):
    """Import all rows, or none when any row has a problem (the transaction is rolled back)."""
    return _run(kind, read_dataset(content, filename, kind), dry_run=False)

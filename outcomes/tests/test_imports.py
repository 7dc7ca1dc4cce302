import pytest

from django.utils import translation

from outcomes import imports
from outcomes.forms import ReportKind
from outcomes.models import CounsellingOutcome, ServiceUsage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English (msgids); the Japanese catalogue translates them."""
    with translation.override("en"):
        yield


USAGE = b"month,service,uses\n2026-04,consultation,12\n2026-05,counselling,7\n"
OUTCOMES = (
    b"case_id,start_date,start_score,end_date,end_score\n"
    b"A-001,2026-04-02,14,2026-07-30,8\n"
    b"A-002,2026-05-10,11,2026-09-01,12\n"
)


def xlsx(rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_good_usage_csv_imports_every_row():
    report = imports.apply(ReportKind.USAGE, USAGE, "usage.csv")
    assert report.ok
    assert sorted(ServiceUsage.objects.values_list("service__code", "uses")) == [
        ("consultation", 12),
        ("counselling", 7),
    ]


def test_preview_saves_nothing():
    report = imports.preview(ReportKind.USAGE, USAGE, "usage.csv")
    assert report.ok and [row.status for row in report.rows] == ["new", "new"]
    assert not ServiceUsage.objects.exists()


def test_reimporting_the_same_file_changes_nothing():
    imports.apply(ReportKind.OUTCOMES, OUTCOMES, "outcomes.csv")
    report = imports.apply(ReportKind.OUTCOMES, OUTCOMES, "outcomes.csv")
    assert [row.status for row in report.rows] == ["skip", "skip"]
    assert CounsellingOutcome.objects.count() == 2


def test_corrected_row_replaces_the_old_one_by_case_id():
    imports.apply(ReportKind.OUTCOMES, OUTCOMES, "outcomes.csv")
    corrected = b"case_id,start_date,start_score,end_date,end_score\nA-002,2026-05-10,11,2026-09-01,6\n"
    imports.apply(ReportKind.OUTCOMES, corrected, "outcomes.csv")
    assert CounsellingOutcome.objects.get(case_id="A-002").end_score == 6
    assert CounsellingOutcome.objects.count() == 2


def test_good_excel_file_imports():
    content = xlsx(
        [
            ["case_id", "start_date", "start_score", "end_date", "end_score"],
            ["X1", "2026-04-01", 20, "2026-06-01", 9],
        ]
    )
    assert imports.apply(ReportKind.OUTCOMES, content, "outcomes.xlsx").ok
    assert CounsellingOutcome.objects.get(case_id="X1").start_score == 20


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("B-1,2026-04-01,28,2026-05-01,3", "27"),
        ("B-1,2026-04-01,12,2026-05-01,-1", "27"),
        ("B-1,2026-06-01,12,2026-05-01,3", "before the start"),
        ("B-1,2026-04-01,12,2026-05-01,3\nB-1,2026-04-01,12,2026-05-01,3", "twice"),
    ],
)
def test_bad_outcome_row_is_reported_and_nothing_is_saved(line, problem):
    header = "case_id,start_date,start_score,end_date,end_score"
    content = f"{header}\nGOOD,2026-04-01,15,2026-05-01,5\n{line}\n".encode()
    preview = imports.preview(ReportKind.OUTCOMES, content, "o.csv")
    assert not preview.ok
    assert any(problem in text for row in preview.problem_rows for text in row.problems)
    assert preview.problem_rows[0].number >= 3  # the header is line 1, the good row line 2
    report = imports.apply(ReportKind.OUTCOMES, content, "o.csv")
    assert not report.ok
    assert not CounsellingOutcome.objects.exists()


def test_unknown_service_is_a_row_error_and_nothing_is_saved():
    content = b"month,service,uses\n2026-04,consultation,3\n2026-04,yoga,2\n"
    report = imports.apply(ReportKind.USAGE, content, "u.csv")
    assert [row.number for row in report.problem_rows] == [3]
    assert "yoga" in report.problem_rows[0].problems[0]
    assert not ServiceUsage.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "report.csv"),
        (b"not a zip", "report.xlsx"),
        (USAGE, "report.pdf"),
        (b"month;service;uses\n2026-04;consultation;3\n", "report.csv"),
    ],
)
def test_a_file_that_is_not_a_readable_report_is_refused(content, name):
    with pytest.raises(imports.FileProblem):
        imports.preview(ReportKind.USAGE, content, name)
    assert not ServiceUsage.objects.exists()


def test_a_huge_file_is_refused(settings):
    settings.OUTCOMES_IMPORT_MAX_BYTES = 100
    with pytest.raises(imports.FileProblem, match="too large"):
        imports.preview(ReportKind.USAGE, USAGE + b"2026-06,consultation,1\n" * 10, "u.csv")
    settings.OUTCOMES_IMPORT_MAX_BYTES = 10_000
    settings.OUTCOMES_IMPORT_MAX_ROWS = 2
    with pytest.raises(imports.FileProblem, match="limit"):
        imports.preview(ReportKind.USAGE, USAGE + b"2026-06,consultation,1\n", "u.csv")

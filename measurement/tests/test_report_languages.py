"""The report speaks Japanese first and English second, every heading translated."""

import pytest

from django.utils import translation

from measurement import report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "heading"), [("ja", "6つのKPI"), ("en", "The six KPIs against target")])
def test_the_report_is_written_in_the_chosen_language(language, heading, tmp_path):
    with translation.override(language):
        html = report.render_html(report.build(2026, 2), for_pdf=True)
        pdf = report.render_pdf(html)
    assert heading in html
    assert f'<html lang="{language}">' in html
    (tmp_path / f"report-{language}.pdf").write_bytes(pdf)

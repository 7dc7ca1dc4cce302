"""The quarterly report for demo-like data: rendered to PDF and read back, every KPI and section."""

import datetime
import io

import pytest
import time_machine
from pypdf import PdfReader

from django.utils import translation

from measurement import report, topics
from measurement.models import InsightReading, LinkClick, NotFoundSource, QuarterlyReport, TrackedLink
from notifications.kpi import FISCAL_TZ
from notifications.models import Batch, Notification

pytestmark = pytest.mark.django_db
MAY = datetime.datetime(2026, 5, 12, 9, tzinfo=FISCAL_TZ)


@pytest.fixture
def quarter_data():
    for index in range(7):
        notification = Notification.objects.create(
            source=f"test:{index}",
            title=f"【サンプル】お知らせ{index}",
            text="x",
            status="sent",
            first_accepted_at=MAY + datetime.timedelta(days=index),
        )
        Batch.objects.create(
            notification=notification,
            channel="line",
            language="ja",
            index=0,
            recipient_count=100 + index,
            accepted_at=MAY,
            status="accepted",
        )
        InsightReading.objects.create(
            notification=notification,
            unique_impressions=60 + index,
            unique_clicks=None if index == 0 else 20 + index,
            period_from=MAY.date(),
            period_to=MAY.date(),
        )
        link = TrackedLink.objects.create(
            source=notification.source, target="http://testserver/", notification=notification
        )
        LinkClick.objects.bulk_create([LinkClick(link=link, clicked_at=MAY)] * (index + 2))
    for _n in range(6):
        topics.record(NotFoundSource.SEARCH, "保育園の空き状況", "ja", asked_at=MAY)
    for _n in range(3):
        topics.record(NotFoundSource.BOT, "秘密の話題", "ja", asked_at=MAY)


def test_the_report_renders_to_pdf_with_every_kpi_and_section(quarter_data):
    with translation.override("ja"):
        data = report.build(2026, 1)
        pdf = report.render_pdf(report.render_html(data, for_pdf=True))
        xlsx = report.render_xlsx(data)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = "".join(text.split())
    assert len(data.kpis) == 5  # PHQ-9 only for those entitled to health figures
    for row in data.kpis:
        assert "".join(row.label.split()) in text, row.label
    for section in [
        "The six KPIs against target and pace",
        "Surveys this quarter",
        "Pushes: reach, opens and clicks",
        "Best five by click rate",
        "Worst five by click rate",
        "Campaign results",
        "Service uses by source",
        "The bot's routes",
        "What parents looked for and did not find",
        "What changed since the last quarter",
    ]:
        with translation.override("ja"):
            assert "".join(str(translation.gettext(section)).split()) in text, section
    assert "保育園" in text  # asked 6 times in May
    assert "秘密" not in text  # asked 3 times: never shown
    assert "【サンプル】お知らせ6" in text
    assert xlsx[:2] == b"PK"
    assert len(data.best) == 5 and len(data.worst) == 1


def test_generation_records_progress_and_the_files(quarter_data):
    row = QuarterlyReport.objects.create(fiscal_year=2026, quarter=1, language="en")
    report.generate(row.pk)
    row.refresh_from_db()
    assert row.status == "done" and row.progress == 100
    assert bytes(row.pdf)[:4] == b"%PDF"
    assert "Quarterly effect report" in row.html


def test_the_admin_queues_generation_and_never_renders_in_the_request(admin_client, monkeypatch):
    from measurement import admin_views

    queued = []
    monkeypatch.setattr(admin_views.generate_quarterly_report, "delay", queued.append)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(
            "/admin/kpi/quarterly/", {"fiscal_year": 2026, "quarter": 1, "language": "ja"}
        )
    row = QuarterlyReport.objects.get()
    assert response.status_code == 302 and queued == [row.pk]
    assert row.status == "pending" and not row.pdf
    status = admin_client.get(f"/admin/kpi/quarterly/{row.pk}/")
    assert b"<progress" in status.content


def test_the_last_quarter_column_shows_the_figures_as_they_were_at_its_end():
    """Rows in Q1 and more in Q2: the Q2 report's "last quarter" column is Q1's end, not Q2's."""
    from wagtail.models import Site

    from notifications.models import LineFollower
    from outcomes.factories import CounsellingOutcomeFactory, SurveyPageFactory, add_standard_questions
    from outcomes.factories import answer as answer_survey
    from outcomes.models import Service, ServiceUsage

    q1, q2 = MAY, datetime.datetime(2026, 8, 20, 9, tzinfo=FISCAL_TZ)
    root = Site.objects.get(is_default_site=True).root_page
    consultation = Service.objects.get(code="consultation")
    for quarter, at, sent, followers, uses, ratings, image, end_score in (
        (1, q1, 6, 6, 12, (4, 4), "はい", 4),
        (2, q2, 4, 3, 8, (2, 2), "いいえ", 12),
    ):
        for index in range(sent):
            Notification.objects.create(
                source=f"q{quarter}:{index}", title="t", text="x", status="sent", first_accepted_at=at
            )
        for index in range(followers):
            LineFollower.objects.create(line_user_id=f"U{quarter}{index:031x}", followed_at=at)
        ServiceUsage.objects.create(month=at.date().replace(day=1), service=consultation, uses=uses)
        survey = add_standard_questions(SurveyPageFactory(parent=root, fiscal_year=2026, quarter=quarter))
        with time_machine.travel(at, tick=False):
            for _n in range(5):
                answer_survey(survey, ratings=ratings, image=image)
        for _n in range(5):
            CounsellingOutcomeFactory(
                start_date=at.date() - datetime.timedelta(days=30), end_date=at.date(), end_score=end_score
            )

    later = datetime.datetime(2027, 1, 15, 9, tzinfo=FISCAL_TZ)
    with time_machine.travel(later, tick=False), translation.override("en"):
        rows = {row.label: row for row in report.build(2026, 2, health=True).kpis}
    shown = {label: (row.display, row.previous, row.change) for label, row in rows.items()}
    assert shown == {
        "Notifications issued": ("10", "6", "+4"),
        "Registrants": ("9", "6", "+3"),
        "Uses of consultation and counselling": ("20", "12", "+8"),
        "Satisfaction (mean of 5-point items)": ("3", "4", "-1"),
        "Image of the city improved": ("50", "100", "-50"),
        "PHQ-9 improved among counselling clients": ("50", "100", "-50"),
    }

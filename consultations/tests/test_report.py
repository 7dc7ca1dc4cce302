"""Figures from rows: closed conversations as uses in the KPI (never twice), the monthly results
report with small numbers suppressed, its Excel export without formulas, retention and alerts."""

import datetime
import io
import zoneinfo

import pytest
import time_machine

from django.core import mail
from django.utils import timezone, translation

from consultations import report, services, tasks
from consultations.models import Channel, CloseCode, ConsultationSettings, Conversation, Message, Status
from outcomes import kpi
from outcomes.models import Service, ServiceUsage

pytestmark = pytest.mark.django_db
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
MAY = datetime.date(2027, 5, 1)


def closed(
    service, n, *, at=datetime.datetime(2027, 5, 10, 10, tzinfo=TOKYO), rating=4, code="fever", web=True
):
    rows = []
    for i in range(n):
        conversation = Conversation.objects.create(
            service=service,
            topic="child",
            channel=Channel.WEB if web else Channel.LINE,
            language="ja",
            status=Status.CLOSED,
            opened_at=at,
            first_answer_at=at + datetime.timedelta(minutes=10 + i),
            closed_at=at + datetime.timedelta(hours=1),
            closed_by="staff",
            close_code=CloseCode.objects.get(code=code),
            rating=rating,
        )
        Message.objects.create(conversation=conversation, sender="family", text="質問です")
        rows.append(conversation)
    return rows


def test_closed_conversations_are_uses_that_replace_the_import_for_their_month(medical):
    closed(medical, 6)
    ServiceUsage.objects.create(month=MAY, service=Service.objects.get(code="consultation"), uses=40)
    ServiceUsage.objects.create(
        month=datetime.date(2027, 4, 1), service=Service.objects.get(code="consultation"), uses=30
    )
    assert report.use_counts(2027) == {("consultation", MAY): 6}
    # As of a moment: only conversations closed at or before it (these closed at 11:00 on 10 May).
    assert report.use_counts(2027, now=datetime.datetime(2027, 5, 10, 10, 59, tzinfo=TOKYO)) == {}
    assert report.use_counts(2027, now=datetime.datetime(2027, 5, 10, 11, tzinfo=TOKYO)) == {
        ("consultation", MAY): 6
    }
    with translation.override("en"):  # the sources' labels are in the active language (ja by default)
        figure = next(
            f
            for f in kpi.scorecard(2027, now=datetime.datetime(2027, 6, 1, tzinfo=TOKYO))
            if f.key == "service_uses"
        )
    assert figure.value == 30 + 6
    assert {label: point.value for label, point in figure.extra}["Text consultations (hub)"] == 6


def test_the_monthly_report_suppresses_figures_from_fewer_than_5_families(medical, client, make_staff):
    closed(medical, 6, rating=5, code="fever")
    closed(medical, 2, rating=1, code="skin")
    with translation.override("en"):
        sections = {
            section.heading: {line.label: line.display for line in section.lines}
            for section in report.monthly_report(MAY, medical)
        }
    assert sections["Conversations"]["Conversations opened"] == "8"
    codes = sections["Topic codes at closing"]
    assert codes[str(CloseCode.objects.get(code="skin"))] == "fewer than 5"
    assert codes[str(CloseCode.objects.get(code="fever"))] == "not shown"  # else 8 − 6 gives the 2 away
    ratings = sections["Ratings (1–5, from families at closing)"]
    assert ratings["1"] == "fewer than 5" and ratings["Mean rating"] == "4.0"
    times = sections["Time to the first answer"]
    assert times["Median"].endswith("min")

    client.force_login(make_staff(medical, "midwife"))
    page = client.get("/admin/consultations/report/?month=2027-05")
    assert page.status_code == 200
    assert (
        str(report.Line("", 2, 2).display) in page.content.decode()
    )  # "fewer than 5" in the admin's language


def test_the_excel_export_holds_no_formulas(medical, client, make_staff):
    from openpyxl import load_workbook

    CloseCode.objects.create(code="evil", name="=HYPERLINK(1)")
    closed(medical, 6, code="evil")
    client.force_login(make_staff(medical, "midwife"))
    response = client.get("/admin/consultations/report/?month=2027-05&format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]
    assert any("HYPERLINK" in str(cell.value) for cell in cells)
    assert all(cell.data_type != "f" for cell in cells)


def test_text_is_deleted_after_the_retention_leaving_the_counts(medical):
    old = closed(medical, 1, at=timezone.now() - datetime.timedelta(days=400))[0]
    recent = closed(medical, 1, at=timezone.now() - datetime.timedelta(days=10))[0]
    Conversation.objects.filter(pk=old.pk).update(family_messages=1)
    assert tasks.purge_expired() == 1
    old.refresh_from_db()
    assert old.purged_at and not old.messages.exists() and old.family_messages == 1 and old.rating == 4
    assert recent.messages.exists()
    settings = ConsultationSettings.load()
    settings.retention_days = 5
    settings.save()
    assert tasks.purge_expired() == 1


def test_a_conversation_waiting_past_its_target_alerts_the_staff_once(
    medical, make_staff, django_capture_on_commit_callbacks
):
    staff = make_staff(medical, "midwife")
    conversation, _created = services.open_conversation(topic="child", channel=Channel.WEB, language="ja")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        assert tasks.alert_overdue() == 0
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.alert_overdue() == 1
        assert tasks.alert_overdue() == 0
    assert [m.to for m in mail.outbox] == [[staff.email]]
    conversation.refresh_from_db()
    assert conversation.wait_alerted_at

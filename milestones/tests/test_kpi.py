"""Timed messages delivered: their own KPI line per month, never in the notifications issued."""

import datetime

import pytest
import time_machine

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from milestones import kpi
from notifications import kpi as notifications_kpi
from notifications.models import Batch, BatchStatus, Notification

from .conftest import tokyo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def delivered(source, at, families, recorded=False):
    notification = Notification.objects.create(
        source=source, title="t", text="t", status="sent", first_accepted_at=at
    )
    Batch.objects.create(
        notification=notification,
        channel="line",
        language="ja",
        index=0,
        recipient_count=families,
        status=BatchStatus.ACCEPTED,
        accepted_at=at,
        recorded=recorded,
    )
    return notification


def test_deliveries_fall_on_each_side_of_the_fiscal_year_boundary_in_tokyo_time():
    delivered("timed-message:1:2028-03", tokyo(2028, 3, 31, 23, 59), 7)
    delivered("timed-message:2:2028-04", tokyo(2028, 4, 1, 0, 0), 5)
    delivered("timed-message:3:2028-04", tokyo(2028, 4, 1, 0, 1), 3, recorded=True)  # never sent

    fy2027 = dict(kpi.timed_messages_delivered(2027))
    fy2028 = dict(kpi.timed_messages_delivered(2028))
    assert next(iter(fy2027)) == datetime.date(2027, 4, 1) and len(fy2027) == 12
    assert fy2027[datetime.date(2028, 3, 1)] == 7
    assert fy2028[datetime.date(2028, 4, 1)] == 5
    assert sum(fy2027.values()) == 7 and sum(fy2028.values()) == 5
    assert kpi.timed_messages_delivered_in(2028, 3) == 7
    assert kpi.timed_messages_delivered_in(2028, 4) == 5


def test_timed_messages_are_not_counted_as_notifications_issued():
    delivered("article:1:rev:1", tokyo(2027, 5, 1, 19), 10)
    delivered("timed-message:1:2027-05", tokyo(2027, 5, 1, 19), 10)
    assert notifications_kpi.notifications_issued(2027) == 1
    assert kpi.timed_messages_delivered_in(2027, 5) == 10


def test_the_kpi_panel_shows_the_timed_line_and_says_it_is_not_in_the_issued_count(client, admin_user):
    delivered("timed-message:1:2027-05", tokyo(2027, 5, 1, 19), 4)
    with time_machine.travel(tokyo(2027, 5, 20, 12), tick=False):
        client.force_login(admin_user)
        response = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    with translation.override("ja"):  # the admin's language by default
        label = gettext("Timed messages delivered this month")
        note = gettext("They are not included in the notifications issued above")
    assert label in html and note in html
    assert "<dd>4" in html


def test_the_kpi_dashboard_charts_timed_messages_on_their_own_line(client, admin_user):
    delivered("timed-message:1:2027-05", tokyo(2027, 5, 1, 19, 0), 12)
    delivered("timed-message:2:2027-06", tokyo(2027, 6, 1, 19, 0), 3)
    client.force_login(admin_user)
    response = client.get(reverse("outcomes_kpi:dashboard"), {"year": 2027})
    page = response.content.decode()
    assert response.status_code == 200
    with translation.override("ja"):  # the admin speaks Japanese by default
        label = gettext("Timed messages delivered")
        assert label in page
        assert gettext("They are not included in the notifications issued above") in page
    lines = [entry["series"] for entry in response.context["extra_lines"]]
    line = next(series for series in lines if series.label == label)
    by_month = {point.label: point for point in line.points}
    assert by_month["2027-05"].value == 12 and not by_month["2027-05"].hidden
    assert by_month["2027-06"].hidden  # fewer than 5 families: shown as "fewer than 5"


def test_a_timed_message_cancelled_because_its_article_was_withdrawn_is_not_counted_as_delivered():
    delivered("timed-message:1:2028-05", tokyo(2028, 5, 1, 19), 7)
    cancelled = delivered("timed-message:2:2028-05", tokyo(2028, 5, 1, 19), 4)
    Notification.objects.filter(pk=cancelled.pk).update(status="cancelled")

    assert kpi.timed_messages_delivered_in(2028, 5) == 7

"""After ``load_demo_content`` the admin screens an official opens first show a working quarter:
the KPI panel and dashboard, the push log and the bot report have non-zero figures; loading again
creates nothing new."""

import io

import pytest

from django.core.management import call_command
from django.urls import reverse

from guidance.admin_views import monthly_counts
from guidance.models import BotReply
from notifications.kpi import dashboard_figures
from notifications.models import AppDevice, Batch, LineFollower, Notification

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def loaded(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("load_demo_content", stdout=io.StringIO())


def counts():
    return [model.objects.count() for model in (LineFollower, AppDevice, Notification, Batch, BotReply)]


def test_the_demo_month_shows_on_the_kpi_push_log_and_bot_report(loaded, admin_client):
    figures = dashboard_figures()
    assert figures["notifications"] >= 1 and figures["registrants"] >= 50
    languages = set(LineFollower.objects.values_list("language", flat=True))
    assert {"ja", "ja-x-easy", "en"} <= languages
    assert len(set(LineFollower.objects.values_list("life_stage", flat=True))) >= 6

    push_log = admin_client.get(reverse("push_log:index"))
    assert push_log.status_code == 200
    pushed = Notification.objects.exclude(source__startswith="timed-message:").first()
    assert pushed.title in push_log.content.decode()
    assert sum(batch.recipient_count for batch in pushed.batches.all()) > 0

    assert sum(total for _month, _routes, total in monthly_counts()) > 0
    assert admin_client.get(reverse("guidance_bot_report")).status_code == 200

    kpi = admin_client.get(reverse("outcomes_kpi:dashboard"))
    assert kpi.status_code == 200
    assert any(card["figure"].value for card in kpi.context["cards"])


def test_loading_the_demo_month_twice_creates_nothing_new(loaded):
    first = counts()
    call_command("load_demo_content", stdout=io.StringIO())
    assert counts() == first

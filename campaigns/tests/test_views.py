"""The campaign report and the confirm/cancel actions for late pushes."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup

from django.urls import reverse

from campaigns.enums import DispatchStatus
from campaigns.models import PushDispatch
from campaigns.services import dispatch_due_pushes

from .conftest import tokyo

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, settings):
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600  # the clock jumps to 2027 in some tests
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.jp", "pw"))
    return client


@pytest.fixture
def fake_kpi(monkeypatch):
    """Stand-in fiscal-year total, so the report's own arithmetic is what is tested here."""
    from notifications import kpi

    monkeypatch.setattr(kpi, "notifications_issued", lambda fiscal_year=None: 8)


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_report_counts_pushes_by_outcome_and_recipients_per_channel(
    admin_client, make_campaign, fake_kpi, pipeline, monkeypatch
):
    from notifications.models import Notification

    campaign = make_campaign(
        pushes=[
            {"send_at": tokyo(2027, 5, 4, 19), "text": "【サンプル】一通目"},
            {"send_at": tokyo(2027, 5, 7, 19), "text": "【サンプル】二通目"},
            {"send_at": tokyo(2027, 5, 11, 19), "text": "【サンプル】三通目"},
        ]
    )
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 19, 1))
    dispatch_due_pushes(now=tokyo(2027, 5, 7, 19, 1))
    # The pipeline's outcome: the first sent to 3 LINE and 2 app recipients, the second failed.
    first, second = Notification.objects.order_by("pk")
    Notification.objects.filter(pk=first.pk).update(status="sent", first_accepted_at=tokyo(2027, 5, 4, 19, 1))
    Notification.objects.filter(pk=second.pk).update(status="failed")
    monkeypatch.setattr(
        Notification, "recipient_counts", lambda self: {"line": 3, "fcm": 2} if self.status == "sent" else {}
    )

    with time_machine.travel(tokyo(2027, 5, 10), tick=False):
        soup = soup_of(admin_client.get(reverse("campaigns_report", args=[campaign.pk])))

    counts = {dd["data-count"]: dd.get_text(strip=True) for dd in soup.select("dd[data-count]")}
    assert counts["planned"] == "1"
    assert counts["sent"] == "1"
    assert counts["failed"] == "1"
    assert counts["skipped"] == "0"
    outcomes = [row["data-outcome"] for row in soup.select("tr[data-outcome]")]
    assert outcomes == ["sent", "failed", "planned"]
    text = soup.get_text(" ", strip=True)
    assert "LINE 3" in text
    assert "FCM 2" in text
    kpi = {
        name: soup.select_one(f"[data-kpi-{name}]")["value"]
        for name in ("fiscal-year", "campaign", "total", "share")
    }
    assert kpi == {"fiscal-year": "2027", "campaign": "1", "total": "8", "share": "12.5"}


def test_report_lists_the_events(admin_client, make_campaign, fake_kpi):
    from campaigns.models import CampaignEvent

    campaign = make_campaign(
        events=[
            CampaignEvent(
                name="【サンプル】公園フェスタ",
                starts_at=tokyo(2027, 5, 16, 10),
                venue="【サンプル】中央公園",
                address="【サンプル】上尾市",
            )
        ]
    )

    soup = soup_of(admin_client.get(reverse("campaigns_report", args=[campaign.pk])))

    assert "【サンプル】公園フェスタ" in soup.get_text()


def test_report_is_refused_to_users_who_cannot_edit_the_campaign(client, make_campaign, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", "viewer@example.jp", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    campaign = make_campaign()

    response = client.get(reverse("campaigns_report", args=[campaign.pk]))

    assert response.status_code in (302, 403)


def test_editor_confirms_a_held_push_from_the_report(admin_client, make_campaign, pipeline, fake_kpi):
    campaign = make_campaign(pushes=[{"send_at": tokyo(2027, 5, 4, 8), "text": "【サンプル】遅れた通知"}])
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 20))
    dispatch = PushDispatch.objects.get()

    soup = soup_of(admin_client.get(reverse("campaigns_report", args=[campaign.pk])))
    assert soup.select_one(f'form[action="{reverse("campaigns_confirm_push", args=[dispatch.pk])}"]')

    with time_machine.travel(tokyo(2027, 5, 4, 21), tick=False):
        response = admin_client.post(
            reverse("campaigns_confirm_push", args=[dispatch.pk]), {"decision": "send"}
        )

    assert response.status_code == 302
    assert [call["text"] for call in pipeline.calls] == ["【サンプル】遅れた通知"]
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.ISSUED
    assert dispatch.lateness == datetime.timedelta(hours=13)


def test_editor_cancels_a_held_push_from_the_report(admin_client, make_campaign, pipeline):
    make_campaign(pushes=[{"send_at": tokyo(2027, 5, 4, 8), "text": "【サンプル】遅れた通知"}])
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 20))
    dispatch = PushDispatch.objects.get()

    admin_client.post(reverse("campaigns_confirm_push", args=[dispatch.pk]), {"decision": "cancel"})

    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.CANCELLED
    assert pipeline.calls == []


def test_confirming_a_push_that_is_not_held_changes_nothing(admin_client, make_campaign, pipeline):
    make_campaign(pushes=[{"send_at": tokyo(2027, 5, 4, 8), "text": "【サンプル】通知"}])
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 8, 1))
    dispatch = PushDispatch.objects.get()

    response = admin_client.post(reverse("campaigns_confirm_push", args=[dispatch.pk]), {"decision": "send"})

    assert response.status_code == 302
    assert len(pipeline.calls) == 1


def test_confirm_needs_a_post(admin_client, make_campaign, pipeline):
    make_campaign(pushes=[{"send_at": tokyo(2027, 5, 4, 8), "text": "【サンプル】通知"}])
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 20))
    dispatch = PushDispatch.objects.get()

    response = admin_client.get(reverse("campaigns_confirm_push", args=[dispatch.pk]))

    assert response.status_code == 405
    assert PushDispatch.objects.get().status == DispatchStatus.AWAITING_CONFIRMATION


def test_report_index_lists_campaigns(admin_client, make_campaign):
    campaign = make_campaign()

    soup = soup_of(admin_client.get(reverse("campaigns_report_index")))

    assert soup.select_one(f'a[href="{reverse("campaigns_report", args=[campaign.pk])}"]')

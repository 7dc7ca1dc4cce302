"""The push log, its retry action and the dashboard KPI panel."""

import datetime
import re

import pytest

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from notifications import services, tasks
from notifications.models import Batch, BatchStatus, Notification

pytestmark = [pytest.mark.portable, pytest.mark.django_db]


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.jp", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.send_notification, "delay", calls.append)
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda *a, **k: None)
    return calls


@pytest.fixture
def failed_notification(new_article, publish, followers, line_server, queued):
    page = new_article(notify_subscribers=False)
    publish(page)
    followers(3)
    notification = services.issue(source="test:failed", page=page, title=page.title, text=page.summary)
    line_server.fail_next(400)
    tasks.send_notification(notification.pk)
    notification.refresh_from_db()
    return notification


def test_push_log_lists_notifications_with_status_and_recipients(admin_client, failed_notification):
    response = admin_client.get(reverse("push_log:index"))

    assert response.status_code == 200
    assert failed_notification.title in response.content.decode()


def test_push_log_shows_batches_with_their_errors(admin_client, failed_notification):
    response = admin_client.get(reverse("push_log:inspect", args=[failed_notification.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "LINE 400" in content
    assert reverse("push_log:retry", args=[failed_notification.pk]) in content


def test_retry_action_reopens_failed_batches_and_queues_after_commit_without_sending(
    admin_client, failed_notification, queued, line_server, django_capture_on_commit_callbacks
):
    requests_before = len(line_server.requests)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("push_log:retry", args=[failed_notification.pk]))

    assert response.status_code == 302
    assert Batch.objects.get().status == BatchStatus.PENDING
    assert queued == [failed_notification.pk]
    assert len(line_server.requests) == requests_before


def test_retry_action_refuses_get(admin_client, failed_notification):
    response = admin_client.get(reverse("push_log:retry", args=[failed_notification.pk]))

    assert response.status_code == 405
    assert Batch.objects.get().status == BatchStatus.FAILED


def test_retry_action_refuses_users_without_permission(client, django_user_model, failed_notification):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "e@example.jp", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.post(reverse("push_log:retry", args=[failed_notification.pk]))

    assert response.status_code in (302, 403)
    assert Batch.objects.get().status == BatchStatus.FAILED


def test_recorded_messages_show_as_recorded_not_sent(admin_client, new_article, publish, followers, queued):
    page = new_article(notify_subscribers=False)
    publish(page)
    followers(2)
    notification = services.issue(source="test:rec", page=page, title=page.title, text=page.summary)
    tasks.send_notification(notification.pk)

    response = admin_client.get(reverse("push_log:index"))

    with translation.override("ja"):
        assert gettext("Recorded, not sent") in response.content.decode()


def test_dashboard_shows_kpi_figures_from_the_database(admin_client, followers, devices):
    from django.utils import timezone

    followers(4)
    devices(3)
    Notification.objects.create(source="x", title="t", text="x", first_accepted_at=timezone.now())

    response = admin_client.get(reverse("wagtailadmin_home"))

    content = response.content.decode()
    with translation.override("ja"):
        assert gettext("%(count)s of %(target)s") % {"count": 1, "target": 50} in content
        assert gettext("%(count)s of %(target)s") % {"count": 7, "target": 500} in content


# The push log reads for people (issue 25): titles and approvals, local time, nothing empty.

ISSUED_AT = datetime.datetime(2026, 12, 3, 12, 5, 30, 123456, tzinfo=datetime.UTC)  # 21:05 in Tokyo


@pytest.fixture
def morikawa(django_user_model):
    from articles.models import Physician

    user = django_user_model.objects.create_user("morikawa", first_name="さくら", last_name="森川")
    return Physician.objects.create(
        name="森川 さくら", name_kana="もりかわ さくら", specialty="paediatrics", user=user
    )


def approved_by_morikawa(page, morikawa):
    """Record 森川 さくら's approval of the page's live revision at ISSUED_AT, an hour earlier."""
    from articles.models import ArticleApproval

    ArticleApproval.objects.filter(revision_id=page.live_revision_id).update(
        physician=morikawa, approved_by=morikawa.user, approved_at=ISSUED_AT - datetime.timedelta(hours=1)
    )


@pytest.fixture
def article_push(new_article, publish, followers, queued, morikawa):
    page = new_article(title="【サンプル】はじめての予防接種", notify_subscribers=False)
    publish(page)
    approved_by_morikawa(page, morikawa)
    followers(2)
    notification = services.issue(
        source=f"article:{page.pk}:rev:{page.live_revision_id}",
        page=page,
        revision=page.live_revision,
        title="予防接種のお知らせ",
        text=page.summary,
    )
    tasks.send_notification(notification.pk)
    Notification.objects.filter(pk=notification.pk).update(created_at=ISSUED_AT, first_accepted_at=ISSUED_AT)
    return notification


def inspect(admin_client, notification):
    response = admin_client.get(reverse("push_log:inspect", args=[notification.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_push_log_detail_shows_the_article_title_and_who_approved_it_in_local_time(
    admin_client, article_push
):
    content = inspect(admin_client, article_push)

    assert "【サンプル】はじめての予防接種" in content
    with translation.override("ja"):
        approval = gettext("approved by %(name)s on %(moment)s") % {
            "name": "森川 さくら",
            "moment": "2026年12月3日 20:05",
        }
    assert approval in content
    assert "2026年12月3日 21:05" in content, "created at, in Tokyo time to the minute"
    assert "12:05" not in content and "+00:00" not in content and ".123456" not in content


def test_push_log_detail_leaves_empty_fields_out_and_keeps_the_source_key_technical(
    admin_client, article_push
):
    content = inspect(admin_client, article_push)
    # What a person reads: the text of the page's main part, without tags and their attributes.
    main = re.sub(r"<[^>]*>", " ", content[content.index("<main") : content.index("</main>")])

    assert "None" not in main
    with translation.override("ja"):
        assert gettext("reason held").capitalize() not in content
    # The source key appears once, in the small technical line, never as a field of its own.
    assert content.count(article_push.source) == 1
    assert "data-push-technical" in content


def test_push_log_detail_says_recorded_not_sent_for_the_recording_backend(admin_client, article_push):
    content = inspect(admin_client, article_push)

    with translation.override("ja"):
        assert gettext("Recorded, not sent") in content
        assert gettext("Sent") + "<" not in content


def test_push_to_an_audience_without_families_reads_no_family_not_sent(
    admin_client, new_article, publish, queued
):
    page = new_article(notify_subscribers=False)
    publish(page)
    notification = services.issue(source="test:nobody", page=page, title=page.title, text=page.summary)
    tasks.send_notification(notification.pk)
    notification.refresh_from_db()
    assert not notification.batches.exists()

    detail = inspect(admin_client, notification)
    listing = admin_client.get(reverse("push_log:index")).content.decode()

    with translation.override("ja"):
        label = gettext("No family in this audience")
    assert label in detail
    assert label in listing
    assert str(notification.status_label()) == str(label)


def test_a_campaign_push_shows_the_campaign_title_and_its_approval(
    admin_client, article_index, new_article, publish, queued, morikawa
):
    from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory

    article = new_article(notify_subscribers=False)
    publish(article)
    campaigns = CampaignIndexPageFactory(parent=article_index.get_parent())
    campaign = CampaignPageFactory(
        parent=campaigns, title="【サンプル】こどもまんなか月間", physician=morikawa
    )
    campaign.save_revision()
    publish(campaign)
    approved_by_morikawa(campaign, morikawa)
    notification = services.issue(
        source="campaign:test",
        page=article,
        revision=article.live_revision,
        words_page=campaign,
        title=campaign.title,
        text="【サンプル】今月はこどもまんなか月間です。",
    )

    content = inspect(admin_client, notification)

    with translation.override("ja"):
        label = gettext("campaign or series").capitalize()
        approval = gettext("approved by %(name)s on %(moment)s") % {
            "name": "森川 さくら",
            "moment": "2026年12月3日 20:05",
        }
    assert label in content
    assert "【サンプル】こどもまんなか月間" in content
    assert approval in content


def test_an_approval_without_a_physician_record_names_the_approving_user_family_name_first(
    article_push, morikawa
):
    from articles.models import ArticleApproval
    from notifications.wagtail_hooks import approval_line, approval_of

    ArticleApproval.objects.filter(revision_id=article_push.revision_id).update(physician=None)

    with translation.override("en"):
        line = str(approval_line(approval_of(article_push.revision_id)))

    assert line.startswith("approved by 森川 さくら on ")

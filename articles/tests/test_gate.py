"""No road around physician review: every way Wagtail can publish refuses an unapproved revision."""

import datetime
import logging

import pytest

from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.actions.revert_to_page_revision import RevertToPageRevisionAction
from wagtail.models import Page
from wagtail.signals import page_published
from wagtail.test.utils.form_data import rich_text

from articles.factories import approve_revision, publish_approved
from articles.gate import UnapprovedRevisionError
from articles.models import ArticleApproval, ArticlePage

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture
def published_signals():
    received = []

    def record(sender, instance, revision, **kwargs):
        received.append((instance.pk, revision.pk))

    page_published.connect(record)
    yield received
    page_published.disconnect(record)


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


def edit_post_data(page, **extra):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "physician": page.physician_id,
        "life_stages": [stage.pk for stage in page.life_stages.all()],
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": rich_text("<p>【サンプル】本文</p>"),
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "notify_subscribers": "on",
        "push_text": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(extra)
    return data


def test_an_approved_revision_publishes_as_the_demo_loader_does(draft, published_signals):
    revision = draft.get_latest_revision()
    approve_revision(revision)
    revision.publish()
    page = reload(draft)
    assert page.live and page.live_revision_id == revision.pk
    assert published_signals == [(page.pk, revision.pk)]


def test_a_superusers_direct_publish_of_an_unapproved_revision_is_refused_and_logged(
    draft, superuser, published_signals, caplog
):
    revision = draft.get_latest_revision()
    with caplog.at_level(logging.WARNING, logger="articles"), pytest.raises(UnapprovedRevisionError):
        revision.publish(user=superuser)
    assert not reload(draft).live
    assert published_signals == []
    assert f"page {draft.pk} revision {revision.pk}" in caplog.text


def test_setting_live_directly_is_refused(draft):
    draft.live = True
    draft.live_revision = draft.get_latest_revision()
    with pytest.raises(PermissionDenied):
        draft.save()
    assert not reload(draft).live


def test_a_page_created_live_starts_as_a_draft(article_index, physician):
    from articles.factories import ArticlePageFactory

    page = ArticlePageFactory(parent=article_index, physician=physician, live=True)
    assert not reload(page).live


def test_the_superusers_publish_button_is_refused_with_a_message(client, draft, superuser, published_signals):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.post(url, edit_post_data(draft, **{"action-publish": "action-publish"}))

    assert response.status_code == 302 and response.url == url
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(draft.title in message for message in messages)
    assert not reload(draft).live
    assert published_signals == []


def test_the_editor_has_no_publish_button_and_a_forged_publish_only_saves_a_draft(client, draft, editor):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    page_html = client.get(url).content.decode()
    assert 'name="action-publish"' not in page_html
    assert 'name="action-submit"' in page_html

    client.post(
        url, edit_post_data(draft, title="偽の公開（サンプル）", **{"action-publish": "action-publish"})
    )
    page = reload(draft)
    assert not page.live
    assert page.get_latest_revision_as_object().title == "偽の公開（サンプル）"


def test_scheduling_an_unapproved_revision_is_refused(draft):
    draft.go_live_at = timezone.now() + datetime.timedelta(days=1)
    revision = draft.save_revision()
    with pytest.raises(UnapprovedRevisionError):
        revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


def test_publish_scheduled_skips_an_unapproved_revision_and_publishes_an_approved_one(
    article_index, physician, published_signals
):
    from articles.factories import ArticlePageFactory

    past = timezone.now() - datetime.timedelta(minutes=5)
    unapproved = ArticlePageFactory(parent=article_index, physician=physician, title="未承認（サンプル）")
    approved = ArticlePageFactory(parent=article_index, physician=physician, title="承認済（サンプル）")
    unapproved_revision = unapproved.save_revision()
    approved_revision = approved.save_revision()
    approve_revision(approved_revision)
    # A schedule that got past the gate (for example set before this gate existed).
    unapproved_revision.approved_go_live_at = past
    unapproved_revision.save()
    approved_revision.approved_go_live_at = past
    approved_revision.save()

    call_command("publish_scheduled")

    assert not reload(unapproved).live
    assert reload(approved).live
    unapproved_revision.refresh_from_db()
    assert unapproved_revision.approved_go_live_at is None
    assert published_signals == [(approved.pk, approved_revision.pk)]


def test_a_copy_with_publish_copies_is_not_live(make_article, published_signals):
    original = make_article()
    published_signals.clear()
    copy = original.copy(update_attrs={"slug": "copy", "title": "コピー（サンプル）"}, keep_live=True)
    assert not reload(copy).live
    assert published_signals == []
    assert not ArticleApproval.objects.filter(page_id=copy.pk).exists()


def test_the_admin_refuses_to_publish_copies_of_an_article(client, make_article, superuser):
    original = make_article()
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[original.pk]),
        {
            "new_title": "コピー（サンプル）",
            "new_slug": "copy",
            "new_parent_page": original.get_parent().pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    assert not Page.objects.filter(slug="copy").exists()


def test_reverting_to_an_older_revision_needs_a_new_approval(make_article, superuser):
    page = make_article(title="初版（サンプル）")
    old_revision = page.live_revision
    page.title = "第二版（サンプル）"
    publish_approved(page)
    page = reload(page)

    reverted = RevertToPageRevisionAction(page, old_revision, user=superuser).execute()
    assert reverted.content["title"] == "初版（サンプル）"
    with pytest.raises(UnapprovedRevisionError):
        reverted.publish(user=superuser)
    assert reload(page).title == "第二版（サンプル）"


def test_the_api_never_shows_an_unapproved_draft(client, draft, make_article):
    approved = make_article(title="承認済みの記事（サンプル）")
    response = client.get("/api/v2/pages/", {"type": "articles.ArticlePage"})
    ids = [item["id"] for item in response.json()["items"]]
    assert ids == [approved.pk]
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404


def test_the_api_shows_the_approved_version_while_a_newer_one_waits(client, make_article):
    page = make_article(title="承認済みの題（サンプル）")
    page.title = "未承認の題（サンプル）"
    page.save_revision()
    item = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert item["title"] == "承認済みの題（サンプル）"
    assert item["last_reviewed_on"] == page.live_approval.reviewed_on.isoformat()


def test_a_wagtail_localize_translation_needs_its_own_approval(make_article, published_signals):
    from django.test import TestCase

    from wagtail.models import Locale
    from wagtail_localize.models import Translation, TranslationSource

    source_page = make_article(title="英訳される記事（サンプル）")
    english = Locale.objects.create(language_code="en")
    source, _created = TranslationSource.get_or_create_from_instance(source_page)
    translation = Translation.objects.create(source=source, target_locale=english)
    published_signals.clear()

    with pytest.raises(UnapprovedRevisionError), TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(publish=True)

    translated = ArticlePage.objects.get(translation_key=source_page.translation_key, locale=english)
    assert not translated.live
    assert published_signals == []


def test_bulk_publishing_an_unapproved_article_is_refused_with_a_message(client, draft, superuser):
    client.force_login(superuser)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client.post(f"{url}?id={draft.pk}&next=/admin/pages/", {})
    assert response.status_code == 302
    assert any(draft.title in str(message) for message in get_messages(response.wsgi_request))
    assert not reload(draft).live

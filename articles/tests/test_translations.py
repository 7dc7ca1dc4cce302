"""Clinical sign-off per language: a translation goes live only with the approval of someone
qualified for its language, against the current version of its Japanese source, by every road."""

import datetime

import pytest

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from articles.factories import MedicalReviewerFactory, approve_revision, publish_approved
from articles.gate import UnapprovedRevisionError
from articles.models import ArticleApproval, ArticlePage, MedicalReviewer
from articles.translations import fallback_chain, out_of_date

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture
def english():
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def source_article(make_article, physician):
    return make_article(title="翻訳される記事（サンプル）", physician=physician)


def translate(source_page, locale):
    """Translate with wagtail-localize as its editor does; returns the (draft) translated page."""
    source, _created = TranslationSource.get_or_create_from_instance(source_page)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    translation.save_target(publish=False)
    return ArticlePage.objects.get(translation_key=source_page.translation_key, locale=locale)


@pytest.fixture
def translated(source_article, english, editor):
    page = translate(source_article, english)
    page.title = "An article to translate (sample)"
    page.save_revision(user=editor)
    return reload(page)


@pytest.fixture
def english_translator():
    return MedicalReviewerFactory(languages=["en"])


def submit(page, editor):
    page.get_workflow().start(page, editor)
    page = reload(page)
    return page, page.current_workflow_task_state


def test_a_medical_translator_for_the_language_approves_and_the_translation_goes_live(
    translated, english_translator, editor, source_article
):
    page, task_state = submit(translated, editor)
    assert task_state.task.specific.get_actions(page, english_translator.user)

    with TestCase.captureOnCommitCallbacks(execute=True):
        task_state.task.specific.on_action(task_state, english_translator.user, "approve")

    page = reload(page)
    assert page.live
    approval = ArticleApproval.objects.get(revision=page.live_revision)
    assert approval.reviewer == english_translator
    assert approval.reviewer_name == english_translator.name
    assert approval.source_revision_id == reload(source_article).live_revision_id
    assert not out_of_date(page)


def test_a_translator_for_another_language_cannot_approve(translated, editor):
    vietnamese_only = MedicalReviewerFactory(languages=["vi"])
    page, task_state = submit(translated, editor)

    assert task_state.task.specific.get_actions(page, vietnamese_only.user) == []
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, vietnamese_only.user, "approve")
    assert not reload(page).live
    assert not ArticleApproval.objects.filter(page=page).exists()


def test_the_articles_physician_approves_a_translation_only_when_registered_for_its_language(
    translated, editor, physician, english
):
    page, task_state = submit(translated, editor)
    task = task_state.task.specific
    assert not task.get_actions(page, physician.user)
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, physician.user, "approve")

    reviewer = MedicalReviewer.objects.create(
        user=physician.user, name=physician.name, role="physician", physician=physician
    )
    reviewer.locales.add(english)
    task.on_action(task_state, physician.user, "approve")
    approval = ArticleApproval.objects.get(page=page)
    assert (approval.physician, approval.reviewer) == (physician, reviewer)


def test_another_physician_registered_for_the_language_cannot_approve(
    translated, editor, other_physician, english
):
    reviewer = MedicalReviewer.objects.create(
        user=other_physician.user, name=other_physician.name, role="physician", physician=other_physician
    )
    reviewer.locales.add(english)
    _page, task_state = submit(translated, editor)
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, other_physician.user, "approve")


def test_wagtail_localize_publish_of_an_unapproved_translation_is_refused(source_article, english):
    source, _created = TranslationSource.get_or_create_from_instance(source_article)
    translation = Translation.objects.create(source=source, target_locale=english)
    # wagtail-localize publishes on commit.
    with pytest.raises(UnapprovedRevisionError), TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(publish=True)
    assert not ArticlePage.objects.get(translation_key=source_article.translation_key, locale=english).live


def test_a_superusers_publish_of_an_unapproved_translation_is_refused(translated, superuser):
    with pytest.raises(UnapprovedRevisionError):
        translated.get_latest_revision().publish(user=superuser)
    assert not reload(translated).live


def test_sync_from_the_source_never_publishes_the_new_text_unapproved(
    translated, english_translator, source_article
):
    publish_approved(translated, reviewer=english_translator)
    live_revision = reload(translated).live_revision_id
    approved_title = reload(translated).title
    source_article.title = "翻訳される記事・改訂（サンプル）"
    publish_approved(source_article)
    source, _created = TranslationSource.update_or_create_from_instance(reload(source_article))

    with pytest.raises(UnapprovedRevisionError), TestCase.captureOnCommitCallbacks(execute=True):
        Translation.objects.get(source=source).save_target(publish=True)

    assert reload(translated).live_revision_id == live_revision
    # wagtail-localize wrote the synced text into the rows before the refused publish: the site,
    # the API and search still read the approved text.
    assert reload(translated).title == approved_title


def test_scheduled_publishing_skips_an_unapproved_translation(translated):
    revision = translated.get_latest_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])

    call_command("publish_scheduled")

    assert not reload(translated).live


def test_an_approval_against_an_older_source_no_longer_lets_the_translation_go_live(
    translated, english_translator, source_article, superuser
):
    revision = translated.get_latest_revision()
    approve_revision(revision, reviewer=english_translator)
    source_article.title = "改訂された原文（サンプル）"
    publish_approved(source_article)

    with pytest.raises(UnapprovedRevisionError):
        revision.publish(user=superuser)
    assert not reload(translated).live


def test_a_changed_source_flags_its_live_translation_out_of_date_on_the_site_and_in_the_api(
    client, translated, english_translator, source_article, django_capture_on_commit_callbacks
):
    publish_approved(translated, reviewer=english_translator)
    page = reload(translated)
    assert not page.translation_out_of_date
    assert "may be out of date" not in client.get(page.url).content.decode()

    source_article.summary = "原文を直しました（サンプル）"
    # Publishing clears the page cache once it commits, as it does outside a test transaction.
    with django_capture_on_commit_callbacks(execute=True):
        publish_approved(source_article)

    page = reload(translated)
    assert page.translation_out_of_date
    html = client.get(page.url).content.decode()
    assert "This translation may be out of date" in html
    assert client.get(f"/api/v2/pages/{page.pk}/").json()["translation_out_of_date"] is True

    # Synced and approved again, it is up to date.
    source, _created = TranslationSource.update_or_create_from_instance(reload(source_article))
    Translation.objects.get(source=source).save_target(publish=False)
    publish_approved(reload(translated), reviewer=english_translator)
    assert not reload(translated).translation_out_of_date


def test_approving_a_translation_not_synced_with_the_changed_source_is_refused(
    translated, english_translator, source_article, editor
):
    source_article.title = "原文の改訂（サンプル）"
    publish_approved(source_article)
    page, task_state = submit(translated, editor)

    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, english_translator.user, "approve")
    assert not reload(page).live


def test_the_english_page_shows_who_checked_the_translation_and_when(client, translated, english_translator):
    publish_approved(translated, reviewer=english_translator)
    html = client.get(reload(translated).url).content.decode()
    assert f"This translation was checked by {english_translator.name}." in html
    assert timezone.localdate().isoformat() in html


def test_fallback_chains_come_from_the_setting_and_end_in_japanese(settings):
    settings.LANGUAGE_FALLBACKS = {"vi": ["ja-x-easy"], "tl": ["en", "ja-x-easy", "ja"]}
    assert fallback_chain("vi") == ["vi", "ja-x-easy", "ja"]
    assert fallback_chain("tl") == ["tl", "en", "ja-x-easy", "ja"]
    assert fallback_chain("ko") == ["ko", "ja"]
    assert fallback_chain("ja") == ["ja"]


def test_an_editor_submits_a_wagtail_localize_translation_for_review_and_a_qualified_reviewer_approves(
    client, translated, editor, english_translator
):
    url = f"/admin/articles/translations/{translated.pk}/submit/"
    client.force_login(editor)
    assert client.get(url).status_code == 200

    response = client.post(url)

    assert response.status_code == 302
    page = reload(translated)
    assert not page.live
    task_state = page.current_workflow_task_state
    assert task_state.revision_id == page.latest_revision_id
    with TestCase.captureOnCommitCallbacks(execute=True):
        task_state.task.specific.on_action(task_state, english_translator.user, "approve")
    assert reload(page).live


def test_submitting_a_japanese_article_as_a_translation_is_refused(client, source_article, editor):
    client.force_login(editor)
    response = client.post(f"/admin/articles/translations/{source_article.pk}/submit/")
    # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a message.
    assert (response.status_code, response.url) == (302, "/admin/")
    assert reload(source_article).current_workflow_state is None


def test_the_translation_editors_publish_button_gets_a_message_not_a_403(client, translated, superuser):
    """wagtail-localize posts ``action=publish`` to the edit address: refused with a way forward."""
    client.force_login(superuser)
    url = f"/admin/pages/{translated.pk}/edit/"
    revisions = translated.revisions.count()

    response = client.post(url, {"action": "publish"})

    assert (response.status_code, response.url) == (302, url)
    page = reload(translated)
    assert not page.live and page.revisions.count() == revisions
    shown = client.get(url)
    assert shown.status_code == 200
    # The message (in the admin's language) carries the button to the submit view.
    assert f"/admin/articles/translations/{translated.pk}/submit/" in shown.content.decode()


def test_submitting_a_live_translations_new_text_keeps_the_approved_text_on_the_site(
    client, translated, editor, english_translator, source_article
):
    """wagtail-localize writes the new text into the page's rows before making its revision: the
    site, the API and search must go on reading the approved live revision until it is approved."""
    publish_approved(translated, reviewer=english_translator)
    approved_title = reload(translated).title
    source_article.title = "翻訳される記事・改訂（サンプル）"
    publish_approved(source_article)
    TranslationSource.update_or_create_from_instance(reload(source_article))
    client.force_login(editor)

    assert client.post(f"/admin/articles/translations/{translated.pk}/submit/").status_code == 302

    page = reload(translated)
    assert page.live and page.title == approved_title
    assert page.get_latest_revision().as_object().title != approved_title  # the new text waits
    client.logout()
    assert approved_title in client.get(page.url).text
    api = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert api["title"] == approved_title

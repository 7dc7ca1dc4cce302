"""Four eyes: nobody approves words they wrote, whether they typed a translation's strings in
wagtail-localize's editor or edited the source since its last approval; a superuser neither."""

import pytest

from django.core.exceptions import PermissionDenied
from django.test import TestCase, override_settings

from articles.factories import MedicalReviewerFactory, localize
from articles.models import ArticleApproval, ArticlePage

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


def action_names(task_state, page, user):
    return {name for name, _label, _form in task_state.task.specific.get_actions(page, user)}


def submit(page, user):
    page.get_workflow().start(page, user)
    page = reload(page)
    return page, page.current_workflow_task_state


@pytest.fixture
def source_article(make_article, physician):
    return make_article(title="予防接種の話（サンプル）", physician=physician)


@pytest.fixture
def translator():
    return MedicalReviewerFactory(languages=["en"])


@pytest.fixture
def translated_by_translator(source_article, translator, client, editor):
    """The translator typed the English strings; an editor submitted it for medical review."""
    strings = {source_article.title: "About vaccination (sample)"}
    page = localize(source_article, "en", strings, translator=translator.user)
    client.force_login(editor)
    assert client.post(f"/admin/articles/translations/{page.pk}/submit/").status_code == 302
    client.logout()
    page = reload(page)
    assert page.get_latest_revision().user == editor
    return page, page.current_workflow_task_state


def test_a_translator_who_wrote_the_strings_cannot_approve_them(translated_by_translator, translator):
    page, task_state = translated_by_translator

    assert action_names(task_state, page, translator.user) == {"reject"}
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, translator.user, "approve")
    assert not reload(page).live
    assert not ArticleApproval.objects.filter(page_id=page.pk).exists()


def test_a_translator_who_wrote_the_strings_cannot_approve_them_as_a_superuser(
    translated_by_translator, translator
):
    translator.user.is_superuser = True
    translator.user.save()
    page, task_state = translated_by_translator

    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, translator.user, "approve")
    assert not reload(page).live


def test_another_translator_for_the_language_approves_the_strings(translated_by_translator):
    page, task_state = translated_by_translator
    reviewer = MedicalReviewerFactory(languages=["en"])
    assert "approve" in action_names(task_state, page, reviewer.user)

    with TestCase.captureOnCommitCallbacks(execute=True):
        task_state.task.specific.on_action(task_state, reviewer.user, "approve")

    assert reload(page).live


def test_a_physician_who_edited_the_source_since_its_last_approval_cannot_approve_it(
    source_article, physician, editor
):
    """The physician rewrote a paragraph, then an editor saved the last touches and submitted it."""
    page = reload(source_article)
    page.summary = "医師が書き直した要約（サンプル）"
    page.save_revision(user=physician.user)
    page.title = "予防接種の話・改訂（サンプル）"
    page.save_revision(user=editor)
    page, task_state = submit(page, editor)

    assert action_names(task_state, page, physician.user) == {"reject"}
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, physician.user, "approve")
    assert not ArticleApproval.objects.filter(revision=task_state.revision).exists()


def test_a_superuser_physician_who_edited_the_source_cannot_approve_it(source_article, physician, editor):
    physician.user.is_superuser = True
    physician.user.save()
    page = reload(source_article)
    page.summary = "医師が書き直した要約（サンプル）"
    page.save_revision(user=physician.user)
    page.save_revision(user=editor)
    page, task_state = submit(page, editor)

    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, physician.user, "approve")


@override_settings(ARTICLES_ALLOW_SAME_SPECIALTY_APPROVAL=True)
def test_a_physician_who_wrote_none_of_it_approves_what_a_colleague_edited(
    source_article, physician, other_physician, editor
):
    page = reload(source_article)
    page.summary = "医師が書き直した要約（サンプル）"
    page.save_revision(user=physician.user)
    page, task_state = submit(page, editor)
    assert "approve" not in action_names(task_state, page, physician.user)

    with TestCase.captureOnCommitCallbacks(execute=True):
        task_state.task.specific.on_action(task_state, other_physician.user, "approve")

    assert reload(page).live_revision_id == task_state.revision_id


def test_edits_before_the_last_approval_do_not_stop_the_physician_approving_the_next_version(
    draft, physician, editor, other_physician
):
    """Once another reviewer vouched for the physician's words, only the words since count."""
    draft.summary = "医師が書いた要約（サンプル）"
    revision = draft.save_revision(user=physician.user)
    ArticleApproval.objects.create(
        page_id=draft.pk,
        revision=revision,
        physician=other_physician,
        approved_by=other_physician.user,
        reviewed_on=revision.created_at.date(),
        next_review_due=revision.created_at.date(),
    )
    draft.title = "編集者の直し（サンプル）"
    draft.save_revision(user=editor)
    page, task_state = submit(reload(draft), editor)

    with TestCase.captureOnCommitCallbacks(execute=True):
        task_state.task.specific.on_action(task_state, physician.user, "approve")

    assert reload(page).live

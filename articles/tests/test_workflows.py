"""The physician review task: who may approve, what approval records, rejection with a comment."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from wagtail.models import WorkflowState

from articles.models import ArticleApproval, ArticlePage
from articles.workflows import MEDICAL_REVIEW_WORKFLOW, PhysicianReviewTask, RejectionForm

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def action_names(task, page, user):
    return {name for name, _label, _form in task.get_actions(page, user)}


def test_every_article_is_reviewed_by_the_medical_review_workflow(draft):
    workflow = draft.get_workflow()
    assert workflow.name == MEDICAL_REVIEW_WORKFLOW
    assert [type(task.specific) for task in workflow.tasks] == [PhysicianReviewTask]


def test_a_new_article_index_is_put_under_the_medical_review_workflow(article_index):
    assert article_index.get_workflow().name == MEDICAL_REVIEW_WORKFLOW


def test_the_supervising_physician_can_approve_and_others_cannot(
    submitted, physician, other_physician, editor
):
    page, task_state = submitted
    task = task_state.task.specific
    assert action_names(task, page, physician.user) == {"approve", "reject"}
    assert action_names(task, page, other_physician.user) == set()
    assert action_names(task, page, editor) == set()


def test_a_superuser_who_is_not_a_physician_cannot_approve(submitted, superuser):
    page, task_state = submitted
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, superuser, "approve")
    assert not ArticleApproval.objects.exists()
    page.refresh_from_db()
    assert not page.live


@override_settings(ARTICLES_ALLOW_SAME_SPECIALTY_APPROVAL=True)
def test_a_setting_lets_any_physician_of_the_same_specialty_approve(submitted, other_physician):
    page, task_state = submitted
    assert "approve" in action_names(task_state.task.specific, page, other_physician.user)


@override_settings(ARTICLES_ALLOW_SAME_SPECIALTY_APPROVAL=True)
def test_the_setting_does_not_extend_to_another_specialty(submitted, other_physician):
    other_physician.specialty = "obstetrics"
    other_physician.save()
    page, task_state = submitted
    assert action_names(task_state.task.specific, page, other_physician.user) == set()


def test_approval_records_the_physician_the_revision_and_the_review_dates_and_publishes(submitted, physician):
    page, task_state = submitted
    task_state.task.specific.on_action(task_state, physician.user, "approve")

    approval = ArticleApproval.objects.get()
    page = ArticlePage.objects.get(pk=page.pk)
    today = timezone.localdate()
    assert approval.revision_id == task_state.revision_id == page.live_revision_id
    assert (approval.physician, approval.approved_by) == (physician, physician.user)
    assert approval.reviewed_on == today
    assert approval.next_review_due == today + relativedelta(months=12)
    assert page.live and page.live_approval == approval
    assert page.last_reviewed_on == today and not page.review_overdue


@override_settings(ARTICLES_REVIEW_INTERVAL_MONTHS=6)
def test_the_review_interval_comes_from_the_setting(submitted, physician):
    _page, task_state = submitted
    task_state.task.specific.on_action(task_state, physician.user, "approve")
    assert ArticleApproval.objects.get().next_review_due == timezone.localdate() + relativedelta(months=6)


def test_whoever_last_edited_the_revision_cannot_approve_it_even_as_its_physician(draft, physician):
    draft.title = "医師が書き直した版（サンプル）"
    draft.save_revision(user=physician.user)
    draft.get_workflow().start(draft, physician.user)
    draft.refresh_from_db()
    task_state = draft.current_workflow_task_state
    task = task_state.task.specific

    assert action_names(task, draft, physician.user) == {"reject"}
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, physician.user, "approve")
    assert not ArticleApproval.objects.exists()


def test_a_rejection_needs_a_comment(submitted, physician):
    _page, task_state = submitted
    task = task_state.task.specific
    assert not RejectionForm(data={"comment": ""}).is_valid()
    assert task.get_form_for_action("reject") is RejectionForm
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, physician.user, "reject", comment="   ")
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS


def test_a_rejection_with_a_comment_sends_the_article_back_unpublished(submitted, physician):
    page, task_state = submitted
    task_state.task.specific.on_action(
        task_state, physician.user, "reject", comment="用量の記載を確認してください"
    )
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_REJECTED
    assert task_state.comment == "用量の記載を確認してください"
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_NEEDS_CHANGES
    page.refresh_from_db()
    assert not page.live
    assert not ArticleApproval.objects.exists()


def test_the_article_is_locked_for_editors_while_the_physician_reviews_it(submitted, physician, editor):
    page, task_state = submitted
    task = task_state.task.specific
    assert task.locked_for_user(page, editor)
    assert not task.locked_for_user(page, physician.user)
    assert task.user_can_access_editor(page, physician.user)
    assert not task.user_can_access_editor(page, editor)


def test_the_physician_sees_the_task_to_moderate_and_others_do_not(submitted, physician, other_physician):
    _page, task_state = submitted
    task = task_state.task.specific
    assert list(task.get_task_states_user_can_moderate(physician.user)) == [task_state]
    assert not task.get_task_states_user_can_moderate(other_physician.user).exists()


def test_approval_of_revision_n_does_not_let_revision_n_plus_1_go_live(submitted, physician, editor):
    page, task_state = submitted
    task_state.task.specific.on_action(task_state, physician.user, "approve")
    page = ArticlePage.objects.get(pk=page.pk)
    approved_revision_id = page.live_revision_id

    page.title = "未承認の改訂（サンプル）"
    revision = page.save_revision(user=editor)
    with pytest.raises(PermissionDenied):
        revision.publish()
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live_revision_id == approved_revision_id
    assert page.title != "未承認の改訂（サンプル）"


def test_an_edit_during_review_must_be_reviewed_before_approval(submitted, physician, editor):
    page, task_state = submitted
    page.title = "審査中の修正（サンプル）"
    page.save_revision(user=editor)
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, physician.user, "approve")
    assert not ArticleApproval.objects.exists()


def test_the_physician_is_emailed_on_submission(submitted, physician, other_physician):
    assert [message.to for message in mail.outbox] == [[physician.user.email]]
    assert submitted[0].title in mail.outbox[0].subject + mail.outbox[0].body


def test_the_editor_is_emailed_the_physicians_comment_on_rejection(submitted, physician, editor):
    _page, task_state = submitted
    mail.outbox.clear()
    task_state.task.specific.on_action(task_state, physician.user, "reject", comment="出典を追記してください")
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert "出典を追記してください" in mail.outbox[0].body


def test_the_editor_is_emailed_on_approval(submitted, physician, editor):
    _page, task_state = submitted
    mail.outbox.clear()
    task_state.task.specific.on_action(task_state, physician.user, "approve")
    assert [message.to for message in mail.outbox] == [[editor.email]]


def _english_left(message, *names):
    """The Latin-script words of an e-mail once its addresses and the people's user names are out:
    what is left is a sentence of Wagtail's notification templates that the catalogue lacks."""
    text = re.sub(r"https?://\S+", "", f"{message.subject}\n{message.body}")
    for name in names:
        text = text.replace(name, "")
    return re.findall(r"[A-Za-z]{2,}", text)


def test_the_workflow_emails_are_wholly_japanese(submitted, physician, editor):
    """Submitted (to the physician) and rejected with a comment (to the editor): Wagtail's notification
    templates, with the sentences Wagtail's ja catalogue lacks from cms/locale_overrides."""
    page, task_state = submitted
    names = (physician.user.get_username(), editor.get_username())
    submission = mail.outbox[-1]
    assert _english_left(submission, *names) == []
    assert f"ページ「{page.title}」がレビュー段階「{task_state.task.name}」の承認に提出されました。" in (
        submission.body
    )

    mail.outbox.clear()
    task_state.task.specific.on_action(task_state, physician.user, "reject", comment="出典を追記してください")
    (rejection,) = mail.outbox
    assert _english_left(rejection, *names) == []
    assert "次のコメントが残されています：「出典を追記してください」" in rejection.body


def test_the_approval_email_is_wholly_japanese(submitted, physician, editor):
    page, task_state = submitted
    mail.outbox.clear()
    task_state.task.specific.on_action(task_state, physician.user, "approve")
    (approval,) = mail.outbox
    assert _english_left(approval, physician.user.get_username(), editor.get_username()) == []
    assert f"ページ「{page.title}」" in approval.body


def test_the_review_dates_come_from_the_approval_not_the_editor(submitted, physician):
    page, task_state = submitted
    task_state.task.specific.on_action(task_state, physician.user, "approve")
    approval = ArticleApproval.objects.get()
    approval.reviewed_on = datetime.date(2025, 1, 10)
    approval.next_review_due = datetime.date(2026, 1, 10)
    approval.save()
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.last_reviewed_on == datetime.date(2025, 1, 10)
    assert page.review_overdue is (datetime.date(2026, 1, 10) < timezone.localdate())

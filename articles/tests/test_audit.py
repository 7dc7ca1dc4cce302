"""Audit trail of the physician review: approvals, requests for changes and publishing in the page's
history, with who and when."""

import datetime
import io

import pytest
import time_machine

from django.core.management import call_command
from django.utils import timezone

from wagtail.log_actions import LogContext
from wagtail.models import PageLogEntry

from articles.factories import approve_revision
from articles.workflows import MEDICAL_REVIEW_WORKFLOW, PHYSICIAN_REVIEW_TASK

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def test_an_approval_and_the_publish_it_causes_are_logged_with_the_physician(submitted, physician):
    page, task_state = submitted
    # The admin runs every view in a log context naming its user; so does this test.
    with LogContext(user=physician.user):
        task_state.task.specific.on_action(
            task_state, physician.user, "approve", comment="【サンプル】確認しました"
        )
    approval = PageLogEntry.objects.get(page=page, action="oyako.approve")
    assert approval.user == physician.user
    assert approval.revision_id == task_state.revision_id
    assert (
        approval.data["task"] == PHYSICIAN_REVIEW_TASK
        and approval.data["workflow"] == MEDICAL_REVIEW_WORKFLOW
    )
    assert approval.data["comment"] == "【サンプル】確認しました"
    assert abs(approval.timestamp - timezone.now()).total_seconds() < 60
    published = PageLogEntry.objects.get(page=page, action="oyako.publish")
    assert published.data["revision"] == task_state.revision_id
    assert published.user == physician.user


def test_a_request_for_changes_is_logged_with_its_comment(submitted, physician):
    page, task_state = submitted
    task_state.task.specific.on_action(
        task_state, physician.user, "reject", comment="【サンプル】受診の目安を追記してください。"
    )
    entry = PageLogEntry.objects.get(page=page, action="oyako.reject")
    assert entry.user == physician.user
    assert entry.data["comment"] == "【サンプル】受診の目安を追記してください。"
    assert not PageLogEntry.objects.filter(page=page, action__in=["oyako.approve", "oyako.publish"]).exists()


def test_a_refused_approval_leaves_no_entry(submitted, editor):
    page, task_state = submitted
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, whatever wraps it
        task_state.task.specific.on_action(task_state, editor, "approve")
    assert not PageLogEntry.objects.filter(page=page, action__startswith="oyako.").exists()


def test_scheduled_publishing_is_logged_when_it_goes_live_as_the_systems(draft, physician):
    draft.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    revision = draft.save_revision(user=draft.owner)
    approve_revision(revision, physician=physician)
    revision.publish()
    draft.refresh_from_db()
    assert not draft.live
    assert not PageLogEntry.objects.filter(page=draft, action="oyako.publish").exists()  # only scheduled

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        call_command("publish_scheduled", stdout=io.StringIO())
    draft.refresh_from_db()
    assert draft.live
    entry = PageLogEntry.objects.get(page=draft, action="oyako.publish")
    assert entry.user is None and entry.revision_id == revision.pk

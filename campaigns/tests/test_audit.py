"""Audit trail of campaigns: the administrators' approval and each held push's fate in the
campaign's history."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import PageLogEntry

from campaigns.models import PushDispatch
from campaigns.services import cancel_late_push, confirm_late_push, dispatch_due_pushes

from .conftest import tokyo

pytestmark = pytest.mark.django_db


def plan(send_at):
    return {"send_at": send_at, "text": "【サンプル】お知らせ"}


def test_a_held_push_and_its_confirmation_are_in_the_campaigns_history(make_campaign, pipeline):
    campaign = make_campaign(pushes=[plan(tokyo(2027, 5, 4, 8))])
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 20))
    dispatch = PushDispatch.objects.get()
    held = PageLogEntry.objects.get(page=campaign, action="oyako.push_held")
    assert held.user is None  # the beat task held it
    assert held.data["lateness"] == "12:00:00" and held.data["dispatch"] == dispatch.pk

    confirm_late_push(dispatch, make_campaign.editor, now=tokyo(2027, 5, 4, 21))
    confirmed = PageLogEntry.objects.get(page=campaign, action="oyako.push_confirmed")
    assert confirmed.user == make_campaign.editor


def test_a_cancelled_held_push_is_in_the_campaigns_history(make_campaign, pipeline):
    campaign = make_campaign(pushes=[plan(tokyo(2027, 5, 4, 8))])
    dispatch_due_pushes(now=tokyo(2027, 5, 4, 20))
    dispatch = PushDispatch.objects.get()
    cancel_late_push(dispatch, make_campaign.editor)
    cancel_late_push(dispatch, make_campaign.editor)  # a second click changes nothing
    entry = PageLogEntry.objects.get(page=campaign, action="oyako.push_cancelled")
    assert entry.user == make_campaign.editor


def test_a_physicians_campaign_approval_is_logged(make_campaign, django_user_model):
    from articles.models import Physician

    user = django_user_model.objects.create_user("sample-campaign-physician", "p@example.jp", "pw")
    user.groups.add(Group.objects.get(name="Physicians"))
    campaign = make_campaign(publish=False)
    Physician.objects.filter(pk=campaign.physician_id).update(user=user)
    campaign.refresh_from_db()
    campaign.get_workflow().start(campaign, make_campaign.editor)
    campaign.refresh_from_db()
    task_state = campaign.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, "approve")
    entry = PageLogEntry.objects.get(page=campaign, action="oyako.approve")
    assert entry.user == user
    assert PageLogEntry.objects.filter(page=campaign, action="oyako.publish").exists()

import datetime

import pytest

from django.core.exceptions import ValidationError

from wagtail.models import Task, Workflow, WorkflowTask

from articles.workflows import MEDICAL_REVIEW_WORKFLOW
from campaigns.models import running_campaign

CAMPAIGN_APPROVAL_WORKFLOW = "キャンペーンの承認"  # named by campaigns migration 0007

pytestmark = pytest.mark.django_db


def test_campaign_approval_workflow_is_administrators_group_approval():
    workflow = Workflow.objects.get(name=CAMPAIGN_APPROVAL_WORKFLOW)
    [workflow_task] = WorkflowTask.objects.filter(workflow=workflow)
    task = Task.objects.get(pk=workflow_task.task_id).specific

    assert workflow.active
    assert [group.name for group in task.groups.all()] == ["Administrators"]


def test_every_campaign_goes_through_medical_review(make_campaign):
    medical_review, _ = Workflow.objects.get_or_create(
        name=MEDICAL_REVIEW_WORKFLOW, defaults={"active": True}
    )
    campaign = make_campaign(publish=False)

    assert campaign.requires_physician_approval() is True
    assert campaign.get_workflow() == medical_review


def test_a_campaign_needs_its_reviewing_physician(make_campaign):
    campaign = make_campaign(publish=False)
    campaign.physician = None

    with pytest.raises(ValidationError) as error:
        campaign.full_clean()

    assert "physician" in error.value.message_dict


def test_campaign_cannot_end_before_it_starts(make_campaign):
    campaign = make_campaign(publish=False)
    campaign.end_date = campaign.start_date - datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        campaign.full_clean()

    assert "end_date" in error.value.message_dict


def test_period_defaults_to_may(campaign_index):
    from campaigns.models import CampaignPage

    campaign = CampaignPage(title="【サンプル】", theme="【サンプル】")

    assert (campaign.start_date.month, campaign.start_date.day) == (5, 1)
    assert (campaign.end_date.month, campaign.end_date.day) == (5, 31)


def test_running_campaign_is_the_live_one_whose_period_includes_the_day(make_campaign, home_page):
    may = make_campaign()
    make_campaign(publish=False, start_date=datetime.date(2027, 5, 10), end_date=datetime.date(2027, 5, 20))

    assert running_campaign(home_page, on=datetime.date(2027, 4, 30)) is None
    assert running_campaign(home_page, on=datetime.date(2027, 5, 1)) == may
    assert running_campaign(home_page, on=datetime.date(2027, 5, 15)) == may
    assert running_campaign(home_page, on=datetime.date(2027, 5, 31)) == may
    assert running_campaign(home_page, on=datetime.date(2027, 6, 1)) is None


def test_leading_articles_are_only_live_approved_ones(make_campaign, make_article):
    approved = make_article()
    later_unpublished = make_article()
    campaign = make_campaign(featured=[approved, later_unpublished])
    later_unpublished.unpublish()

    assert list(campaign.leading_articles()) == [approved]


def test_a_campaign_cannot_go_live_without_a_physician_approval(make_campaign):
    from articles.gate import UnapprovedRevisionError

    campaign = make_campaign(publish=False)

    with pytest.raises(UnapprovedRevisionError):
        campaign.latest_revision.publish()

    campaign.refresh_from_db()
    assert not campaign.live


def test_an_administrator_cannot_rewrite_an_approved_campaign_and_publish_it_unreviewed(
    make_campaign, django_user_model
):
    from articles.gate import UnapprovedRevisionError

    admin = django_user_model.objects.create_superuser("campaign-admin", "admin@example.jp", "pw")
    campaign = make_campaign()
    approved_revision_id = campaign.live_revision_id
    campaign.theme = "【サンプル】熱が出たら解熱剤を半錠（未承認の書き換え）"
    revision = campaign.save_revision(user=admin)

    with pytest.raises(UnapprovedRevisionError):
        revision.publish(user=admin)

    campaign.refresh_from_db()
    assert campaign.live_revision_id == approved_revision_id
    assert "解熱剤" not in campaign.theme


def test_copied_campaign_starts_with_an_empty_plan(make_campaign, campaign_index):
    from campaigns.tests.conftest import tokyo

    campaign = make_campaign(pushes=[{"send_at": tokyo(2027, 5, 4, 19), "text": "【サンプル】通知"}])

    copy = campaign.copy(update_attrs={"slug": "next-year", "title": "【サンプル】来年"}, keep_live=False)

    copy = copy.specific
    assert copy.planned_pushes.count() == 0
    assert copy.get_latest_revision_as_object().planned_pushes.count() == 0
    assert campaign.planned_pushes.count() == 1

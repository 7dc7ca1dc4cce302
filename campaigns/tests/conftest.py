import contextlib
import datetime
from types import SimpleNamespace

import pytest

# The fake LINE and FCM servers arrive with the push pipeline (issue 4).
with contextlib.suppress(ImportError):
    from tests.fakes.fixtures import fcm_server, line_server  # noqa: F401

from django.utils import timezone


def tokyo(*args):
    return timezone.make_aware(datetime.datetime(*args), timezone.get_default_timezone())


@pytest.fixture
def campaign_index(home_page):
    from campaigns.factories import CampaignIndexPageFactory

    return CampaignIndexPageFactory(parent=home_page)


@pytest.fixture
def make_campaign(campaign_index, django_user_model):
    """Create a campaign (published by default) with plan items: ``make_campaign(pushes=[...])``."""
    from campaigns.factories import CampaignPageFactory
    from campaigns.models import PlannedPush

    editor = django_user_model.objects.create_user("campaign-editor", "editor@example.jp", "pw")

    def make(pushes=(), publish=True, featured=(), events=(), **kwargs):
        page = CampaignPageFactory(parent=campaign_index, owner=editor, **kwargs)
        page.featured_articles.set(featured)
        for order, push in enumerate(pushes):
            page.planned_pushes.add(PlannedPush(sort_order=order, **push))
        for event in events:
            page.events.add(event)
        page.save()
        revision = page.save_revision(user=editor)
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page

    make.editor = editor
    return make


class FakePipeline:
    """Stands in for ``notifications.services.issue`` until the pipeline is wired in a test."""

    def __init__(self):
        self.calls = []
        self.by_source = {}

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        if kwargs["source"] in self.by_source:
            return self.by_source[kwargs["source"]]
        page = kwargs["page"]
        live = page.live
        notification = SimpleNamespace(
            pk=len(self.by_source) + 1,
            status="pending" if live else "skipped",
            skip_reason="" if live else "The page is not live.",
        )
        self.by_source[kwargs["source"]] = notification
        return notification


@pytest.fixture
def pipeline(monkeypatch):
    fake = FakePipeline()
    monkeypatch.setattr("campaigns.services.issue_notification", fake)
    return fake


@pytest.fixture
def run_email_tasks_inline(monkeypatch):
    from campaigns import tasks

    monkeypatch.setattr(tasks.email_editors, "delay", lambda pk: tasks.email_editors(pk))

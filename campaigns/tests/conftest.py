import contextlib
import datetime

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


class PipelineSpy:
    """Records each call to the real ``notifications.services.issue`` and passes it on.

    Nothing is sent: the send task is queued on commit, and these tests do not run it.
    """

    def __init__(self):
        self.calls = []

    def __call__(self, **kwargs):
        from notifications import services

        self.calls.append(kwargs)
        return services.issue(**kwargs)


@pytest.fixture
def pipeline(monkeypatch):
    spy = PipelineSpy()
    monkeypatch.setattr("campaigns.services.issue_notification", spy)
    return spy


@pytest.fixture
def run_email_tasks_inline(monkeypatch):
    from campaigns import tasks

    monkeypatch.setattr(tasks.email_editors, "delay", lambda pk: tasks.email_editors(pk))

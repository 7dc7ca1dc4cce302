import contextlib
import datetime

import pytest

# The fake LINE and FCM servers arrive with the push pipeline (issue 4).
with contextlib.suppress(ImportError):
    from tests.fakes.fixtures import fcm_server, line_server  # noqa: F401

from django.utils import timezone


def tokyo(*args):
    return timezone.make_aware(datetime.datetime(*args), timezone.get_default_timezone())


# Pages and articles built here rather than from the project-wide fixtures, so these tests stand on
# the committed models alone.


@pytest.fixture
def home_page(db):
    """A home page at the root of the default site."""
    from wagtail.models import Page, Site

    from home.models import HomePage

    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="おやこハブ（サンプル）", slug="oyako")
    )
    Site.objects.filter(is_default_site=True).update(root_page=home)
    return home


@pytest.fixture
def article_index(home_page):
    from articles.models import ArticleIndexPage

    return home_page.add_child(instance=ArticleIndexPage(title="記事（サンプル）", slug="articles"))


def make_physician(name="医師（サンプル）"):
    from articles.models import Physician

    return Physician.objects.create(name=name, name_kana="いし", specialty="paediatrics")


def approve(revision, physician, reviewed_on=None):
    """Record a physician's approval of ``revision``, as the review workflow does."""
    from articles.models import ArticleApproval

    reviewed_on = reviewed_on or timezone.localdate()
    return ArticleApproval.objects.create(
        page_id=revision.object_id,
        revision=revision,
        physician=physician,
        reviewed_on=reviewed_on,
        next_review_due=reviewed_on + datetime.timedelta(days=365),
    )


@pytest.fixture
def make_article(article_index):
    """An article, approved by its physician and published unless ``publish=False``."""
    from articles.models import ArticlePage, LifeStage

    counter = iter(range(1, 1000))

    def make(publish=True, title=None, life_stages=("age_0_1",)):
        page = ArticlePage(
            title=title or f"【サンプル】記事 {next(counter)}",
            summary="【サンプル】テスト用の架空の記事です。",
            body=[("paragraph", "<p>【サンプル】架空の本文です。</p>")],
            physician=make_physician(),
            live=False,
        )
        article_index.add_child(instance=page)
        page.life_stages.set(LifeStage.objects.filter(code__in=life_stages))
        page.save()
        revision = page.save_revision()
        if publish:
            approve(revision, page.physician)
            revision.publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def campaign_index(home_page):
    from campaigns.factories import CampaignIndexPageFactory

    return CampaignIndexPageFactory(parent=home_page)


@pytest.fixture
def make_campaign(campaign_index, django_user_model):
    """Create a campaign (approved by its physician and published by default) with plan items:
    ``make_campaign(pushes=[...])``."""
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
            approve(revision, page.physician)
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

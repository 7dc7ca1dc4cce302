"""The demo loader builds a believable, approved, sample-marked site, and loading twice changes nothing."""

import datetime
import io

import pytest
from dateutil.relativedelta import relativedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, Site

from articles.demo import content
from articles.enums import LifeStage
from articles.models import ArticleApproval, ArticleIndexPage, ArticlePage, Physician, Topic
from campaigns.models import CampaignPage, PlannedPush
from home.models import HomePage

# Every test here loads the whole demo (all the features' demos), which takes tens of seconds on
# PostgreSQL: the PostgreSQL run repeats only the tests marked portable below (the whole load, run
# twice, and the Japanese search over it); the rest read the same rows on SQLite.
pytestmark = [pytest.mark.django_db]

PASSWORD = "demo-pass-for-tests"


def load(**kwargs):
    out = io.StringIO()
    call_command("load_demo_content", stdout=out, **kwargs)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Page,
            Revision,
            ArticlePage,
            ArticleApproval,
            Physician,
            Topic,
            Locale,
            Site,
            get_image_model(),
            get_user_model(),
            Group,
            CampaignPage,
            PlannedPush,
        )
    }


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)


@pytest.fixture
def loaded(demo_password):
    return load()


@pytest.mark.portable
def test_loading_twice_creates_nothing_the_second_time(demo_password):
    load()
    first = counts()
    output = load()
    assert counts() == first
    assert first["ArticlePage"] >= 14
    assert Physician.objects.filter(locale__language_code="ja").count() == 3  # and their translations
    assert first["Topic"] >= 8
    assert "Articles: 0 created" in output


def test_summary_names_the_demo_users_and_the_login_url(loaded, settings):
    # The address make run serves (WAGTAILADMIN_BASE_URL follows its PORT), not a fixed port.
    assert f"{settings.WAGTAILADMIN_BASE_URL}/admin/" in loaded
    for username in ("editor", "physician", "admin"):
        assert username in loaded
    assert PASSWORD not in loaded


def test_the_readme_and_make_run_list_every_demo_user(loaded):
    """Every user the demo creates (every feature's demo, all with the demo password) is in the
    README's table and in the message make run prints."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    readme = (root / "README.md").read_text()
    table = readme[readme.index("Demo users (") :].split("\n\n")[1]
    listed = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}
    recipe = (root / "Makefile").read_text().split("\nrun: ")[1].split("\n\n")[0]
    echoed = " ".join(line for line in recipe.splitlines() if line.strip().startswith("@echo"))
    demo_users = {user.username for user in get_user_model().objects.all() if user.check_password(PASSWORD)}
    assert {"editor", "physician", "admin", "translator", "midwife", "sample-midwife"} <= demo_users
    assert listed == demo_users
    assert [name for name in sorted(demo_users) if f" {name} (" not in echoed] == []


def test_home_page_replaces_the_welcome_page_as_site_root(loaded):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.locale.language_code == "ja"
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()
    index = ArticleIndexPage.objects.child_of(site.root_page).get()
    assert index.slug == "articles"
    # Full URLs (in pushes and bot replies) lead to the hub `make run` serves, not to localhost:80.
    assert site.root_url == settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def test_home_page_and_article_index_have_live_english_translations(loaded):
    en = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(locale__language_code="ja")
    for page in (home, ArticleIndexPage.objects.get(locale__language_code="ja")):
        translation = page.get_translation(en)
        assert translation.live
        assert translation.title != page.title


def test_every_life_stage_has_at_least_two_live_articles(loaded):
    for code in LifeStage.values:
        assert ArticlePage.objects.live().filter(life_stages__code=code).count() >= 2, code


def test_every_article_is_live_with_an_approval_of_its_live_revision(loaded):
    pending = [data["slug"] for data in content.PENDING_ARTICLES]
    articles = ArticlePage.objects.filter(locale__language_code="ja").exclude(slug__in=pending)
    assert articles.count() >= 14
    for article in articles:
        assert article.live
        assert not article.has_unpublished_changes
        approval = ArticleApproval.objects.get(revision_id=article.live_revision_id)
        assert approval.physician == article.physician
        assert approval.page_id == article.pk


def test_the_demo_physician_finds_articles_awaiting_their_review(loaded, client):
    from wagtail.models import TaskState

    for data in content.PENDING_ARTICLES:
        page = ArticlePage.objects.get(slug=data["slug"], locale__language_code="ja")
        assert not page.live
        assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    client.force_login(get_user_model().objects.get(username="physician"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="awaiting-review' in html
    for data in content.PENDING_ARTICLES:
        assert data["title"] in html


def test_loading_sample_content_does_not_notify_families(loaded):
    # Only an article still awaiting the physician pushes, and only once they approve it.
    notifying = ArticlePage.objects.filter(notify_subscribers=True)
    assert set(notifying.values_list("slug", flat=True)) <= {d["slug"] for d in content.PENDING_ARTICLES}
    assert not notifying.filter(live=True).exists()


def test_exactly_one_article_is_overdue_and_one_falls_due_within_a_month(loaded):
    today = timezone.localdate()
    # The live articles: those awaiting their first review have no review dates yet.
    overdue = [a for a in ArticlePage.objects.live() if a.review_overdue]
    due_soon = [
        a
        for a in ArticlePage.objects.live()
        if today <= a.next_review_due <= today + datetime.timedelta(days=30)
    ]
    assert len(overdue) == 1
    assert len(due_soon) == 1
    reviewed = sorted(a.last_reviewed_on for a in ArticlePage.objects.live())
    assert reviewed[0] >= today - relativedelta(months=13)
    assert reviewed[-1] <= today


def test_articles_are_marked_as_sample_and_use_every_block_type(loaded):
    used = set()
    for article in ArticlePage.objects.filter(locale__language_code="ja"):
        assert len(article.summary) <= 120
        assert article.summary.startswith(content.SAMPLE_MARK)
        assert content.SAMPLE_NOTICE in str(article.body[0].value)
        assert article.image is not None and article.image.description
        used.update(block.block_type for block in article.body)
        body_images = [block.value for block in article.body if block.block_type == "image"]
        # The body's figure is a different picture from the listing image shown above it.
        assert all(image.pk != article.image_id for image in body_images)
    assert used == {"paragraph", "heading", "image", "doctor_warning", "qa", "steps", "references"}


@pytest.mark.portable
@pytest.mark.parametrize("word", ["離乳食", "発熱", "つわり", "予防接種"])
def test_site_search_finds_sample_articles_by_japanese_word(loaded, client, word):
    html = client.get("/search/", {"q": word}).content.decode()
    titles = [a.title for a in ArticlePage.objects.all() if word in a.title + a.summary]
    assert titles
    assert any(title in html for title in titles)


def test_demo_users_are_in_their_groups_and_the_physician_is_linked(loaded, client):
    User = get_user_model()
    for username, group in (("editor", "Editors"), ("physician", "Physicians"), ("admin", "Administrators")):
        user = User.objects.get(username=username)
        assert user.groups.filter(name=group).exists()
        assert user.email == f"{username}@example.jp"
        assert user.check_password(PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="editor").is_superuser
    physician_user = User.objects.get(username="physician")
    assert physician_user.physician.specialty == "paediatrics"
    approvals = ArticleApproval.objects.filter(physician=physician_user.physician)
    assert approvals.exists()
    assert all(approval.approved_by == physician_user for approval in approvals)


def test_rerun_sets_the_password_from_the_environment(loaded, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")
    load()
    assert get_user_model().objects.get(username="editor").check_password("another-demo-pass")


def test_missing_password_is_refused_and_changes_nothing(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    before = counts()
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        load()
    assert counts() == before


def test_users_are_skipped_where_demo_users_are_not_allowed(monkeypatch, settings):
    settings.DEMO_USERS_ALLOWED = False
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = load()
    assert "skipped" in output
    assert not get_user_model().objects.exists()
    assert ArticlePage.objects.live().count() >= 14


def test_site_answers_in_japanese_and_english(loaded, client):
    article = ArticlePage.objects.live().first()
    for url in ("/", "/en/", article.url):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "上尾市 おやこハブ" in client.get("/").content.decode()
    assert "Ageo Oyako Hub" in client.get("/en/").content.decode()
    assert article.title in client.get(article.url).content.decode()


def test_overdue_article_shows_the_overdue_notice(loaded, client):
    overdue = next(a for a in ArticlePage.objects.live() if a.review_overdue)
    html = client.get(overdue.url).content.decode()
    assert "確認予定日を過ぎています" in html
    assert content.SAMPLE_NOTICE in html


def test_a_sample_campaign_for_next_may_is_live_with_its_event_and_plan(loaded, client):
    campaign = CampaignPage.objects.get()
    year = timezone.localdate().year + (1 if timezone.localdate().month > 5 else 0)
    assert campaign.live and campaign.title.startswith("【サンプル】")
    assert (campaign.start_date, campaign.end_date) == (datetime.date(year, 5, 1), datetime.date(year, 5, 31))
    assert campaign.events.count() == 1
    pushes = list(campaign.planned_pushes.all())
    assert len(pushes) >= 8
    assert all(timezone.localtime(push.send_at).date() >= datetime.date(year, 4, 30) for push in pushes)
    for article in campaign.featured_articles.all():
        assert article.live and article.live_approval is not None
    assert campaign.featured_articles.count() == 2
    assert client.get(campaign.url).status_code == 200


@pytest.mark.parametrize("code", ["ja-x-easy", "en"])
def test_four_articles_are_translated_and_signed_off_by_a_reviewer_for_their_language(loaded, client, code):
    from articles.models import MedicalReviewer

    translated = ArticlePage.objects.live().filter(locale__language_code=code)
    assert translated.count() >= 4
    for page in translated:
        approval = ArticleApproval.objects.get(revision_id=page.live_revision_id)
        assert approval.reviewer.locales.filter(language_code=code).exists()
        assert not page.translation_out_of_date
        assert content.SAMPLE_MARK in page.title or "[Sample]" in page.title
        assert "サンプル" in str(page.body[0].value) or "[Sample]" in str(page.body[0].value)
        html = client.get(page.url).content.decode()
        assert f'<html lang="{code}">' in html
        assert approval.reviewer.name in html
    assert MedicalReviewer.objects.filter(user__username="translator", role="translator").exists()


def test_the_english_article_shows_the_physician_and_topics_in_english(loaded, client):
    from bs4 import BeautifulSoup

    english = ArticlePage.objects.live().filter(
        locale__language_code="en", physician__specialty="paediatrics"
    )
    page = english.filter(topics__isnull=False).first()
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    name = html.select_one(".supervision__name")
    assert name.get_text(strip=True) == "Morikawa Sakura" and not name.has_attr("lang")
    assert html.select_one(".supervision__kana")["lang"] == "ja"
    tags = html.select(".article__footer .tag")
    assert tags and all(not tag.has_attr("lang") for tag in tags)
    assert not any("【" in tag.get_text() or tag.get_text() == "発熱" for tag in tags)

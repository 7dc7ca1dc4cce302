"""Each change a parent can see makes the next anonymous GET show it; editors never share a page."""

import datetime

import pytest
import time_machine

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import override_settings
from django.urls import path
from django.utils import timezone

from wagtail.models import Page

from articles.factories import publish_approved
from articles.models import ArticlePage
from pagecache import invalidation

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


@pytest.fixture
def article(make_article):
    return make_article(title="離乳食の進め方", summary="【サンプル】離乳食の始め方")


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("cache-editor", "editor@example.jp", "sample-password")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def _rename_behind_the_cache(page, title):
    """Change the database without any signal, as only a cache would hide."""
    ArticlePage.objects.filter(pk=page.pk).update(title=title)


def test_anonymous_get_is_served_from_the_cache(client, article):
    first = client.get(article.url)
    _rename_behind_the_cache(article, "変わったタイトル")
    second = client.get(article.url)
    assert first.status_code == second.status_code == 200
    assert "変わったタイトル" not in second.text
    assert "離乳食の進め方" in second.text
    assert "max-age=" in second["Cache-Control"]
    assert "Cookie" in second["Vary"]


def test_publishing_shows_the_new_revision(client, article, django_capture_on_commit_callbacks):
    client.get(article.url)
    article.title = "離乳食の進め方（改訂）"
    with django_capture_on_commit_callbacks(execute=True):
        publish_approved(article)
    assert "離乳食の進め方（改訂）" in client.get(article.url).text


def test_a_change_is_shown_only_once_committed(client, article, django_capture_on_commit_callbacks):
    client.get(article.url)
    article.title = "まだコミットされていない"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_approved(article)
        # Until commit, the generation stands: a request in between caches nothing new for ever.
        generation = invalidation.current_generation()[0]
    assert callbacks
    assert invalidation.current_generation()[0] == generation


def test_unpublishing_removes_the_page(client, article, django_capture_on_commit_callbacks):
    assert client.get(article.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert client.get(article.url).status_code == 404


def test_deleting_removes_the_page(client, article, django_capture_on_commit_callbacks):
    url = article.url
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=article.pk).delete()
    assert client.get(url).status_code == 404


def test_moving_moves_the_page(client, article, article_index, home_page, django_capture_on_commit_callbacks):
    from articles.factories import ArticleIndexPageFactory

    other_index = ArticleIndexPageFactory(parent=home_page, title="別の記事", slug="more")
    old_url = article.url
    assert client.get(old_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=article.pk).move(other_index, pos="last-child")
    assert client.get(old_url).status_code in (301, 404)  # Wagtail may leave a redirect
    assert client.get(Page.objects.get(pk=article.pk).url).status_code == 200


def test_a_physician_snippet_change_is_shown(client, article, django_capture_on_commit_callbacks):
    physician = article.physician
    assert physician.name in client.get(article.url).text
    physician.name = "改名 した医師"
    with django_capture_on_commit_callbacks(execute=True):
        physician.save()
    assert "改名 した医師" in client.get(article.url).text


def test_a_page_made_private_is_no_longer_served_from_the_cache(
    client, article, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    assert client.get(article.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(article.url).status_code == 302


def test_a_topic_deleted_clears_pages(client, article, django_capture_on_commit_callbacks):
    from articles.factories import TopicFactory

    topic = TopicFactory()
    before = invalidation.current_generation()[0]
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert invalidation.current_generation()[0] != before


def test_another_app_can_register_a_model(django_capture_on_commit_callbacks):
    from wagtail.models import Locale

    invalidation.invalidate_on_change(Locale)
    before = invalidation.current_generation()[0]
    with django_capture_on_commit_callbacks(execute=True):
        Locale.objects.create(language_code="en")
    assert invalidation.current_generation()[0] != before


def test_a_review_falling_overdue_shows_the_notice_without_an_edit(client, make_article):
    today = timezone.localdate()
    page = make_article(title="つわりがつらいとき")
    due = page.next_review_due
    assert due > today
    overdue_notice = "notice--overdue"
    assert overdue_notice not in client.get(page.url).text
    eve = timezone.make_aware(datetime.datetime.combine(due, datetime.time(23, 59)))
    with time_machine.travel(eve, tick=False):
        assert overdue_notice not in client.get(page.url).text
    with time_machine.travel(eve + datetime.timedelta(minutes=2), tick=False):
        assert overdue_notice in client.get(page.url).text


def test_cached_pages_never_outlive_the_next_moment(client, make_article):
    page = make_article(title="つわりがつらいとき")
    due = page.next_review_due
    hour_before = timezone.make_aware(datetime.datetime.combine(due, datetime.time(23, 0)))
    with time_machine.travel(hour_before, tick=False):
        response = client.get(page.url)
        assert invalidation.next_moment() == hour_before + datetime.timedelta(hours=1)
    assert response.status_code == 200


def test_a_moment_remembered_for_an_older_generation_is_not_trusted(make_article):
    """A request racing a clear may remember the old generation's moment; the new one recomputes."""
    page = make_article(title="つわりがつらいとき")
    due_moment = invalidation.start_of_day(page.next_review_due + datetime.timedelta(days=1))
    generation, moment = invalidation.current_generation()
    assert moment is not None and moment <= due_moment.timestamp()
    past = (timezone.now() - datetime.timedelta(days=1)).timestamp()
    invalidation.cache().set(invalidation.MOMENT_KEY, ("an-older-generation", past), 60)

    assert invalidation.current_generation() == (generation, moment)
    assert invalidation.cache().get(invalidation.MOMENT_KEY) == (generation, moment)


def test_campaign_start_and_end_are_moments(home_page):
    from campaigns.models import CampaignPage

    start = timezone.localdate() + datetime.timedelta(days=10)
    from articles.factories import PhysicianFactory, publish_approved

    campaign = CampaignPage(
        title="こどもまんなか月間",
        slug="month",
        theme="テーマ",
        start_date=start,
        physician=PhysicianFactory(),
    )
    campaign.end_date = start + datetime.timedelta(days=30)
    home_page.add_child(instance=campaign)
    publish_approved(campaign)
    from pagecache.moments import campaign_moments

    moments = [m for m in campaign_moments(timezone.now()) if m]
    assert invalidation.start_of_day(start) in moments
    assert invalidation.start_of_day(start + datetime.timedelta(days=31)) in moments


def test_an_editor_never_receives_a_cached_page_and_never_fills_one(client, article, editor):
    client.force_login(editor)
    logged_in = client.get(article.url)
    assert "private" in logged_in["Cache-Control"]
    _rename_behind_the_cache(article, "編集者が見る最新")
    assert "編集者が見る最新" in client.get(article.url).text  # the editor always sees the database
    client.logout()
    client.cookies.clear()
    # The editor's visits stored nothing: the anonymous visitor sees the database too.
    assert "編集者が見る最新" in client.get(article.url).text


def test_a_page_served_to_an_editor_first_is_not_served_to_parents(client, article, editor):
    client.force_login(editor)
    client.get(article.url)
    client.logout()
    client.cookies.clear()
    assert "wagtail-userbar" not in client.get(article.url).text


def csrf_view(request):
    return HttpResponse(f"<form>{get_token(request)}</form>")


urlpatterns = [path("form/", csrf_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_responses_with_a_csrf_token_are_never_cached(client):
    first = client.get("/form/")
    second = client.get("/form/")
    assert "csrftoken" in first.cookies
    assert first.content != second.content  # a fresh masked token each time: rendered, not cached


def test_search_is_cached_briefly(client, article):
    response = client.get("/search/", {"q": "離乳食"})
    assert response.status_code == 200
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 60


def test_app_api_is_never_cached(client):
    response = client.get("/api/app/v1/devices/")
    assert "no-store" in response["Cache-Control"]


def test_posts_are_never_cached(client, article):
    client.get(article.url)
    _rename_behind_the_cache(article, "POSTで見る")
    response = client.post(article.url)
    assert "POSTで見る" in response.text


def test_each_language_keeps_its_own_cached_page(client):
    """The cache is read before LocaleMiddleware runs: it reads the page's language by the same rule
    (the URL's prefix; none is Japanese), so one language's page never answers for another."""
    english = client.get("/en/help/", HTTP_ACCEPT_LANGUAGE="ja")
    japanese = client.get("/help/", HTTP_ACCEPT_LANGUAGE="en")
    english_again = client.get("/en/help/", HTTP_ACCEPT_LANGUAGE="ja")
    japanese_again = client.get("/help/", HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="en"' in english.text and '<html lang="en"' in english_again.text
    assert '<html lang="ja"' in japanese.text and '<html lang="ja"' in japanese_again.text
    assert "Age" not in english and "Age" in english_again  # the second of each came from the cache
    assert "Age" not in japanese and "Age" in japanese_again


def test_a_process_keeps_a_served_page_briefly_but_never_past_a_change(
    client, article, django_capture_on_commit_callbacks
):
    """The near memory answers a repeated hit without the shared cache's page read, and a publish
    (a new generation) is seen on the very next request all the same."""
    from django.conf import settings
    from django.core.cache import caches

    client.get(article.url)
    client.get(article.url)  # now in this process's near memory
    shared = caches[settings.PAGECACHE_ALIAS]
    reads = []
    original = shared.get
    shared.get = lambda key, default=None, version=None: reads.append(key) or original(key, default, version)
    try:
        assert "離乳食の進め方" in client.get(article.url).text
    finally:
        del shared.get
    assert not [key for key in reads if "cache_page" in key or "cache_header" in key]
    article.title = "離乳食の進め方（改訂）"
    with django_capture_on_commit_callbacks(execute=True):
        publish_approved(article)
    assert "離乳食の進め方（改訂）" in client.get(article.url).text

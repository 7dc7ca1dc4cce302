"""What a page is built from is kept per page-cache generation, and never past a change."""

import pytest

from wagtail.models import PageViewRestriction

from guidance.models import CrisisExpression
from home.models import SiteSettings
from pagecache import memo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def test_a_value_is_kept_for_its_generation_only():
    built = []

    def build():
        built.append(1)
        return len(built)

    memo.begin(None)
    assert memo.per_generation("k", build) == 1 and memo.per_generation("k", build) == 2  # nothing kept
    memo.begin("pages.a")
    assert memo.per_generation("k", build) == 3 and memo.per_generation("k", build) == 3
    memo.begin("pages.b")
    assert memo.per_generation("k", build) == 4
    memo.begin(None)


def test_a_new_search_reads_the_site_settings_and_the_crisis_list_once_per_generation(
    client, home_page, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.get("/search/?q=離乳食")
    # A different query misses the page cache but reads neither the site, its settings, its
    # locale, its private sections nor the crisis list again: the search and its cards only.
    with django_assert_max_num_queries(4):
        client.get("/search/?q=予防接種")

    settings_row = SiteSettings.objects.get()
    settings_row.city_name = "【サンプル】北市"
    with django_capture_on_commit_callbacks(execute=True):
        settings_row.save()  # clears the page cache: a new generation
    assert "【サンプル】北市" in client.get("/search/?q=夜泣き").text

    with django_capture_on_commit_callbacks(execute=True):
        CrisisExpression.objects.create(expression="【サンプル】たすけて")
    assert 'class="crisis-reply' in client.get("/search/?q=【サンプル】たすけて").text


def test_a_page_made_private_leaves_new_searches_at_once(
    client, make_article, django_capture_on_commit_callbacks
):
    article = make_article(title="【サンプル】離乳食の進め方", summary="【サンプル】離乳食")
    assert article.title in client.get("/search/?q=離乳食").text
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert article.title not in client.get("/search/?q=離乳食の進め方").text


def test_seeded_site_settings_are_the_requests_own_copies(rf, home_page):
    from wagtail.models import Site

    memo.begin("pages.seed")
    try:
        first, second = rf.get("/"), rf.get("/")
        memo.seed_site(first)
        memo.seed_site(second)
        assert first._wagtail_site == Site.objects.get(is_default_site=True)
        one, other = SiteSettings.for_request(first), SiteSettings.for_request(second)
        assert one.pk == other.pk and one is not other and one._request is first
    finally:
        memo.begin(None)


@pytest.mark.parametrize("prefix", ["", "/en", "/vi", "/tl", "/ja-x-easy"])
def test_every_languages_search_is_kept_briefly(client, home_page, prefix, settings):
    """Search results are kept PAGECACHE_SHORT_TIMEOUT seconds, not an hour, in every language."""
    response = client.get(f"{prefix}/search/?q=離乳食")
    assert response.status_code == 200  # the path is that search
    assert response.wsgi_request._pagecache["timeout"] <= settings.PAGECACHE_SHORT_TIMEOUT
    assert any(f"{prefix}/search/".startswith(path) for path in settings.PAGECACHE_SHORT_PATHS)


def test_a_change_that_starts_no_generation_still_shows_within_the_memo_time(client, make_article):
    """A queryset update (no page signal, so no new generation) reaches a new search once the kept
    values are PAGECACHE_MEMO_SECONDS old, as it did when every miss read the rows."""
    import datetime

    import time_machine

    from articles.models import ArticlePage

    article = make_article(title="【サンプル】夜泣きの対処", summary="【サンプル】夜泣き")
    other = make_article(title="【サンプル】夜泣きの相談", summary="【サンプル】夜泣き")
    assert article.title in client.get("/search/?q=夜泣き").text
    ArticlePage.objects.filter(pk=other.pk).update(live=False)
    ArticlePage.objects.filter(pk=article.pk).update(title="【サンプル】改題")
    with time_machine.travel(datetime.timedelta(seconds=61)):
        text = client.get("/search/?q=夜泣き&page=1").text  # a different URL: a page-cache miss
    assert "【サンプル】改題" in text and other.title not in text

"""Japanese search: the same words are found on SQLite (FTS5) and on PostgreSQL."""

import pytest

from django.db import connection

from articles.models import ArticlePage
from articles.search import segment, segment_query, tokens

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def test_japanese_runs_become_bigrams_and_latin_words_stay_whole():
    assert tokens("離乳食のVitamin D") == ["離乳", "乳食", "食の", "vitamin", "d"]


def test_digits_next_to_kana_are_separate_tokens():
    assert tokens("6か月ごろ") == ["6", "か月", "月ご", "ごろ"]


def test_index_text_also_holds_single_characters():
    assert segment("発熱").split() == ["発熱", "発", "熱"]


def test_half_width_katakana_is_normalised():
    assert tokens("ﾜｸﾁﾝ") == tokens("ワクチン")


def test_queries_of_only_symbols_are_empty():
    assert segment_query("!!! ??? ---") == ""


@pytest.fixture
def articles(make_article):
    return {
        "weaning": make_article(
            title="離乳食の進め方",
            summary="【サンプル】5〜6か月ごろからの離乳食について",
            life_stages=["age_0_1"],
        ),
        "fever": make_article(
            title="子どもの発熱とおうちでのケア",
            summary="【サンプル】熱が出たときの見守り方",
            life_stages=["age_1_3"],
        ),
        "nausea": make_article(
            title="つわりがつらいとき",
            summary="【サンプル】妊娠初期の体調の変化",
            life_stages=["pregnancy_early"],
        ),
        "vaccine": make_article(
            title="予防接種のスケジュール",
            summary="【サンプル】赤ちゃんのワクチンの受け方",
            life_stages=["age_0_1"],
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [("離乳食", "weaning"), ("発熱", "fever"), ("つわり", "nausea"), ("予防接種", "vaccine")],
)
def test_japanese_words_find_their_article(articles, query, expected):
    results = list(ArticlePage.objects.live().search(query))
    assert [page.pk for page in results] == [articles[expected].pk], connection.vendor


def test_a_word_inside_a_longer_sentence_is_found(articles):
    results = list(ArticlePage.objects.live().search("ワクチン"))
    assert [page.pk for page in results] == [articles["vaccine"].pk]


def test_a_single_kanji_finds_words_containing_it(articles):
    results = {page.pk for page in ArticlePage.objects.live().search("熱")}
    assert articles["fever"].pk in results


def test_search_page_finds_japanese_words(client, articles):
    response = client.get("/search/", {"q": "離乳食"})
    assert response.status_code == 200
    assert "離乳食の進め方" in response.content.decode()
    assert "つわりがつらいとき" not in response.content.decode()


def test_unpublished_articles_are_not_found(client, make_article):
    make_article(title="下書きの離乳食メモ", publish=False)
    response = client.get("/search/", {"q": "離乳食"})
    assert "下書きの離乳食メモ" not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "あ" * 1000},
        {"q": "x" * 5000},
        {"q": "'\"<script>alert(1)</script>%_\\*:()&|!"},
        {"q": "AND OR NOT"},
        {"q": "離乳食", "page": "999"},
        {"q": "離乳食", "page": "-1"},
        {"q": "離乳食", "page": "abc"},
        {"q": "\x00\x01"},
    ],
)
def test_search_answers_any_query_without_an_error(client, articles, params):
    response = client.get("/search/", params)
    assert response.status_code == 200


def test_hostile_query_is_escaped_in_the_page(client, articles):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_api_search_finds_japanese_words(client, articles):
    response = client.get("/api/v2/pages/", {"type": "articles.ArticlePage", "search": "つわり"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [articles["nausea"].pk]


def test_search_results_go_down_one_heading_level_at_a_time(client, articles):
    """h1 (the page) then h2 (each result), never h1 straight to h3 (WCAG 1.3.1)."""
    import itertools
    import re

    html = client.get("/search/", {"q": "離乳食"}).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", main)]
    assert levels[0] == 1 and 2 in levels
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))

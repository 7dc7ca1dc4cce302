"""Search in parents' own words: sentences, kana spellings, half width, everyday words."""

import pytest

from django.db import connection

from articles.models import ArticlePage, SearchSynonym
from articles.search import analyse, build_query, search_pages

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def test_analyse_keeps_content_words_and_drops_particles_and_auxiliaries():
    assert analyse("赤ちゃんが熱を出した") == ["赤ちゃん", "熱", "出す"]


@pytest.mark.parametrize("spelling", ["あかちゃん", "ｱｶﾁｬﾝ", "赤ちゃん"])
def test_kana_and_half_width_spellings_fold_to_one_word(spelling):
    assert analyse(spelling) == ["赤ちゃん"]


def test_analyse_answers_calmly_for_nothing_and_junk():
    assert analyse("") == []
    assert analyse("!!! ??? ---") == []
    assert analyse("の") == []


@pytest.fixture
def articles(make_article):
    return {
        "weaning": make_article(
            title="離乳食の進め方",
            summary="【サンプル】5〜6か月ごろからの離乳食について",
        ),
        "fever": make_article(
            title="子どもの発熱とおうちでのケア",
            summary="【サンプル】赤ちゃんの熱が出たときの見守り方",
        ),
        "vaccine": make_article(
            title="予防接種のスケジュール",
            summary="【サンプル】ワクチンの受け方",
        ),
        "handbook": make_article(
            title="母子健康手帳の受け取り方",
            summary="【サンプル】妊娠がわかったら市役所へ",
        ),
        "bath": make_article(
            title="沐浴のしかた",
            summary="【サンプル】赤ちゃんをお湯に入れるときのポイント",
            body=[("paragraph", "<p>【サンプル】熱がある日は沐浴を休みましょう。</p>")],
        ),
    }


def _search(articles_by_key, query):
    results = search_pages(ArticlePage.objects.live(), query)
    keys = {page.pk: key for key, page in articles_by_key.items()}
    return [keys[page.pk] for page in results]


def test_a_parents_sentence_finds_the_fever_article_first(articles):
    found = _search(articles, "赤ちゃんが熱を出した")
    assert found, connection.vendor
    assert found[0] == "fever", (found, connection.vendor)


def test_particles_in_a_question_do_not_stop_a_match(articles):
    assert _search(articles, "離乳食はいつから") == ["weaning"]


@pytest.mark.parametrize("query", ["こども", "子供", "子ども"])
def test_spelling_variants_meet(articles, query):
    assert "fever" in _search(articles, query)


def test_hiragana_finds_a_kanji_word(articles):
    assert _search(articles, "りにゅうしょく") == ["weaning"]


def test_half_width_katakana_finds_full_width(articles):
    assert _search(articles, "ﾜｸﾁﾝ") == ["vaccine"]


def test_everyday_words_find_medical_ones_through_the_seeded_synonyms(articles):
    assert SearchSynonym.objects.filter(terms__contains="予防注射").exists()
    assert _search(articles, "予防注射") == ["vaccine"]
    assert _search(articles, "母子手帳") == ["handbook"]


def test_a_synonym_an_editor_adds_is_used_at_once(articles):
    assert _search(articles, "お風呂") == []
    SearchSynonym.objects.create(terms="お風呂, 沐浴")
    assert _search(articles, "お風呂") == ["bath"]


def test_synonym_groups_need_two_words():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        SearchSynonym(terms="沐浴").full_clean()


def test_title_and_summary_matches_rank_above_body_matches(articles):
    found = _search(articles, "熱")
    assert found.index("fever") < found.index("bath"), (found, connection.vendor)


def test_no_exact_match_falls_back_to_the_best_partial_matches(articles):
    found = _search(articles, "離乳食と宇宙旅行")
    assert found == ["weaning"]


def test_the_site_search_page_answers_a_parents_sentence(client, articles):
    response = client.get("/search/", {"q": "赤ちゃんが熱を出した"})
    assert response.status_code == 200
    assert "子どもの発熱とおうちでのケア" in response.text


def test_an_unsearchable_query_builds_nothing():
    assert build_query("!!! ---") is None
    assert build_query("") is None


def test_a_very_long_body_is_indexed_whole():
    from articles.search import index_terms

    text = "赤ちゃんが熱を出したときの見守り方。" * 5000 + "おしまいの沐浴"
    terms = index_terms(text)
    assert "沐浴" in terms
    assert "赤ちゃん" in terms


QUERY_KINDS = [
    "熱",
    "赤ちゃんが熱を出した",
    "離乳食と予防接種と母子手帳と沐浴と宇宙旅行と夜泣きとつわりと健診とミルク",
    "ああああああああああああああああああああああああああああああああああああああ" * 5,
    "!!! ---",
]


@pytest.mark.parametrize("query", QUERY_KINDS)
def test_a_new_search_asks_the_database_once_whatever_the_words(articles, query):
    from django.test.utils import CaptureQueriesContext

    search_pages(ArticlePage.objects.live(), "沐浴")  # the synonyms are read once, then kept
    with CaptureQueriesContext(connection) as queries:
        list(search_pages(ArticlePage.objects.live(), query))
    assert len(queries) <= 1, [q["sql"][:120] for q in queries]


def test_a_changed_synonym_group_is_read_again_by_the_next_search(articles):
    search_pages(ArticlePage.objects.live(), "沐浴")
    assert _search(articles, "湯あみ") == []
    SearchSynonym.objects.create(terms="湯あみ, 沐浴")
    assert _search(articles, "湯あみ") == ["bath"]
    SearchSynonym.objects.filter(terms="湯あみ, 沐浴").delete()
    assert _search(articles, "湯あみ") == []


def test_words_met_only_weakly_show_the_help_page_not_an_unrelated_article(articles, client):
    from django.urls import reverse

    query = "宇宙旅行の夢を見た日"  # only 日 is met, in the bath article's body
    found = search_pages(ArticlePage.objects.live(), query)
    assert list(found) == [] and found.weak
    response = client.get("/search/", {"q": query})
    assert "沐浴のしかた" not in response.text
    assert f'class="search-help" href="{reverse("guidance:get_help")}"' in response.text

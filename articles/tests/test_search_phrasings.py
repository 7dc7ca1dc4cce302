"""Parents' own phrasings against the demo articles: the right article comes first, on both databases.

Written for this project: how a parent in the city might type a worry into the search box, each with
the demo article (by slug) that should answer it first. The set runs as one test so the demo site is
loaded once; a failure lists every phrasing that went wrong, with what came first instead.
"""

import io

import pytest

from django.core.management import call_command
from django.db import connection

from wagtail.models import Locale

from articles.models import ArticlePage
from articles.search import search_ids, search_pages
from pagecache import memo

pytestmark = [pytest.mark.django_db, pytest.mark.portable]

PHRASINGS = [
    # Fever
    ("熱が下がらない", "baby-fever"),
    ("赤ちゃんが熱を出した", "baby-fever"),
    ("赤ちゃん 高熱", "baby-fever"),
    ("子どもの熱", "baby-fever"),
    ("発熱 受診の目安", "baby-fever"),
    # Sleep
    ("夜泣きがひどい", "toddler-bedtime"),
    ("夜中に何度も起きる", "toddler-bedtime"),
    ("寝かしつけ", "toddler-bedtime"),
    ("子どもがなかなか寝ない", "toddler-bedtime"),
    # Mood after birth
    ("産後うつ", "postpartum-mood"),
    ("マタニティブルー", "postpartum-mood"),
    ("産後 気分が落ち込む", "postpartum-mood"),
    ("出産後 涙もろい", "postpartum-mood"),
    # Labour
    ("おしるし", "signs-of-labour"),
    ("陣痛", "signs-of-labour"),
    ("破水したかも", "signs-of-labour"),
    ("陣痛の間隔", "signs-of-labour"),
    # Hospital bag
    ("入院の持ち物", "hospital-bag"),
    ("出産準備 持ち物", "hospital-bag"),
    # Morning sickness
    ("つわりがつらい", "morning-sickness"),
    ("妊娠初期 吐き気", "morning-sickness"),
    ("悪阻", "morning-sickness"),
    # After the pregnancy test
    ("母子手帳のもらい方", "after-pregnancy-test"),
    ("妊娠届", "after-pregnancy-test"),
    ("妊婦健診", "after-pregnancy-test"),
    # Meals and weight in pregnancy
    ("妊娠中 体重", "mid-pregnancy-meals"),
    ("妊娠中の食事", "mid-pregnancy-meals"),
    # Sleep in pregnancy
    ("妊娠中 眠れない", "sleep-in-pregnancy"),
    ("妊婦 寝る姿勢", "sleep-in-pregnancy"),
    # Weaning
    ("離乳食はいつから", "starting-weaning"),
    ("離乳食を食べない", "starting-weaning"),
    ("りにゅうしょく", "starting-weaning"),
    # Vaccination
    ("予防注射", "vaccination-schedule"),
    ("ワクチンの予定", "vaccination-schedule"),
    ("予防接種 受けそびれた", "vaccination-schedule"),
    # Words
    ("ことばが遅い", "first-words"),
    ("言葉が出ない", "first-words"),
    # Nursery
    ("保育園 感染症", "nursery-infections"),
    ("幼稚園 うつる病気", "nursery-infections"),
    # Snacks
    ("おやつ", "preschool-snacks"),
    ("幼児の間食", "preschool-snacks"),
    ("お菓子はあげてもいい", "preschool-snacks"),
    # Tired of parenting
    ("育児に疲れた", "where-to-ask"),
    ("子育て 相談先", "where-to-ask"),
    # Rest after birth
    ("産後 休めない", "postpartum-rest"),
    ("産後 家事 分担", "postpartum-rest"),
]


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("load_demo_content", stdout=io.StringIO())
    japanese = ArticlePage.objects.live().public().filter(locale=Locale.objects.get(language_code="ja"))
    return japanese, dict(japanese.values_list("pk", "slug"))


def first_slug(demo, query, kept_index=False):
    queryset, slugs = demo
    if kept_index:
        # The site's search page: the pages' terms kept for the page cache's generation.
        memo.begin("pages.phrasings")
        try:
            first = next(iter(search_ids(queryset, query, index_key="phrasings")[:1]), None)
        finally:
            memo.begin(None)
        return slugs[first] if first is not None else None
    first = next(iter(search_pages(queryset, query)[:1]), None)
    return slugs[first.pk] if first is not None else None


def test_the_set_is_large_enough_and_names_real_articles():
    from articles.demo import content

    slugs = {article["slug"] for article in content.ARTICLES}
    assert len(PHRASINGS) >= 40
    assert {slug for _, slug in PHRASINGS} <= slugs


@pytest.mark.parametrize("kept_index", [False, True], ids=["database", "kept-index"])
def test_every_parents_phrasing_finds_its_article_first(demo, kept_index):
    wrong = [
        (query, expected, found)
        for query, expected in PHRASINGS
        if (found := first_slug(demo, query, kept_index)) != expected
    ]
    assert not wrong, (
        connection.vendor,
        kept_index,
        f"{len(PHRASINGS) - len(wrong)}/{len(PHRASINGS)} right",
        wrong,
    )


def test_the_kept_index_ranks_every_phrasing_as_the_database_does(demo):
    """Both roads to the candidates give the same pages in the same order, not only the same first."""
    queryset, _slugs = demo
    for query, _expected in PHRASINGS:
        by_database = [page.pk for page in search_pages(queryset, query)]
        memo.begin("pages.phrasings-order")
        try:
            kept = search_ids(queryset, query, index_key="phrasings-order")
        finally:
            memo.begin(None)
        assert list(kept) == by_database, query

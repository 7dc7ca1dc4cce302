"""The page tree rules and what a parent sees on article and listing pages."""

import datetime

import pytest
from bs4 import BeautifulSoup

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from articles.factories import ArticlePageFactory, PhysicianFactory, TopicFactory, publish_approved
from articles.models import ArticleIndexPage, ArticlePage
from home.models import HomePage

pytestmark = pytest.mark.django_db


class TestPageTreeRules(WagtailPageTestCase):
    def test_articles_live_only_under_an_article_index(self):
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})

    def test_article_index_lives_under_the_home_page(self):
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})

    def test_article_index_holds_only_articles(self):
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})

    def test_articles_have_no_children(self):
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_home_page_sits_at_the_root(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, ArticlePage)


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_article_shows_its_supervisor_and_review_dates(client, article_index):
    physician = PhysicianFactory(name="山田 花子", name_kana="やまだ はなこ", credentials="小児科専門医")
    page = ArticlePageFactory(parent=article_index, title="夜泣きとのつきあい方", physician=physician)
    publish_approved(page, reviewed_on=datetime.date(2026, 4, 10))

    html = soup(client.get(page.url))
    supervision = html.select_one(".supervision")
    assert "監修" in supervision.get_text()
    assert "山田 花子" in supervision.get_text()
    assert "小児科" in supervision.get_text() or "Paediatrics" in supervision.get_text()
    times = [t["datetime"] for t in supervision.select("time")]
    assert times == ["2026-04-10", "2027-04-10"]


def test_article_past_its_review_date_says_so(client, article_index):
    page = ArticlePageFactory(parent=article_index)
    publish_approved(page, reviewed_on=datetime.date(2020, 1, 1))
    html = soup(client.get(page.url))
    assert html.select_one(".notice--overdue") is not None


def test_article_within_its_review_date_has_no_overdue_notice(client, make_article):
    page = make_article()
    assert soup(client.get(page.url)).select_one(".notice--overdue") is None


def test_article_has_breadcrumbs_back_to_home(client, make_article):
    page = make_article(title="歯みがきのはじめかた")
    crumbs = soup(client.get(page.url)).select(".breadcrumbs li")
    assert [c.get_text(strip=True) for c in crumbs][-2:] == ["記事", "歯みがきのはじめかた"]
    assert crumbs[-1].select_one("[aria-current=page]") is not None


def test_pages_have_accessibility_landmarks(client, make_article):
    page = make_article()
    html = soup(client.get(page.url))
    assert html.html["lang"] == "ja"
    skip = html.select_one("a.skip-link")
    assert skip["href"] == "#main" and html.select_one("main#main") is not None
    assert html.select_one("header") and html.select_one("footer") and html.select_one("nav[aria-label]")
    assert len(html.select("h1")) == 1
    for img in html.select("img"):
        assert img.has_attr("alt")


def test_every_body_block_renders(client, article_index):
    body = [
        ("paragraph", "<p>段落のテキスト</p>"),
        ("heading", {"text": "見出しA", "level": "h2"}),
        (
            "doctor_warning",
            {"title": "こんなときは受診を", "signs": ["ぐったりしている"], "urgent_note": "#8000"},
        ),
        ("qa", {"question": "質問ですか？", "answer": "<p>答えです。</p>"}),
        ("steps", {"title": "手順", "steps": ["ひとつめ", "ふたつめ"]}),
        (
            "references",
            {"references": [{"title": "参考資料", "publisher": "サンプル", "url": "https://example.jp"}]},
        ),
    ]
    page = ArticlePageFactory(parent=article_index, body=body)
    publish_approved(page)
    html = soup(client.get(page.url))
    text = html.get_text()
    for expected in ["段落のテキスト", "見出しA", "ぐったりしている", "質問ですか？", "ふたつめ", "参考資料"]:
        assert expected in text
    assert html.select_one(".callout--doctor") is not None
    assert [li.get_text() for li in html.select("ol.steps li")] == ["ひとつめ", "ふたつめ"]


def test_draft_articles_are_not_served(client, make_article):
    page = make_article(publish=False)
    assert client.get(f"/oyako/articles/{page.slug}/").status_code == 404


def test_listing_filters_by_life_stage_and_topic(client, article_index, make_article):
    weaning = TopicFactory(name="離乳食", slug="weaning")
    baby = make_article(title="赤ちゃんの記事", life_stages=["age_0_1"], topics=[weaning])
    make_article(title="妊娠中の記事", life_stages=["pregnancy_mid"])

    def titles(params):
        html = soup(client.get(article_index.url, params))
        return {h.get_text(strip=True) for h in html.select(".card__title")}

    assert titles({}) == {"赤ちゃんの記事", "妊娠中の記事"}
    assert titles({"stage": "age_0_1"}) == {"赤ちゃんの記事"}
    assert titles({"topic": "weaning"}) == {"赤ちゃんの記事"}
    assert titles({"stage": "pregnancy_mid", "topic": "weaning"}) == set()
    assert baby.live


@pytest.mark.parametrize(
    "params",
    [
        {"stage": "unknown"},
        {"topic": "no-such-topic"},
        {"topic": "x" * 1000},
        {"page": "9999"},
        {"page": "0"},
        {"page": "%%%"},
        {"stage": "'; DROP TABLE x; --", "topic": "<b>"},
    ],
)
def test_listing_answers_any_query_string(client, make_article, article_index, params):
    make_article()
    assert client.get(article_index.url, params).status_code == 200


def test_listing_pages_past_the_end_show_the_last_page(client, article_index, make_article):
    for n in range(13):
        make_article(title=f"記事{n:02d}")
    html = soup(client.get(article_index.url, {"page": "99"}))
    assert len(html.select(".card")) == 1


def test_home_page_leads_by_life_stage(client, article_index, make_article):
    make_article(title="最新の記事")
    html = soup(client.get("/"))
    stage_links = html.select(".stage-link")
    assert len(stage_links) == 7
    assert stage_links[0]["href"].endswith("?stage=pregnancy_early")
    assert "最新の記事" in html.get_text()


def test_emergency_numbers_in_the_doctor_box_are_tel_links(client, article_index):
    body = [
        (
            "doctor_warning",
            {
                "title": "こんなときは受診を",
                "signs": ["【サンプル】けいれんが5分以上続くときは119番", "【サンプル】迷ったら#8000"],
                "urgent_note": "【サンプル】夜間は＃８０００、つらいときは0120-279-338へ",
            },
        ),
    ]
    page = ArticlePageFactory(parent=article_index, body=body)
    publish_approved(page)

    box = soup(client.get(page.url)).select_one(".callout--doctor")

    dials = [(link["href"], link.get_text()) for link in box.select("a[href^='tel:']")]
    assert dials == [
        ("tel:119", "119"),
        ("tel:%238000", "#8000"),
        ("tel:%238000", "＃８０００"),
        ("tel:0120279338", "0120-279-338"),
    ]
    assert "けいれんが5分以上続くときは" in box.get_text()  # 5分 is not a number to dial

"""The crisis check runs first on the site search: a parent who types 死にたい gets the crisis reply
with tappable numbers before anything else, in the page's language, from the cache or not."""

import pytest
from bs4 import BeautifulSoup

from articles.factories import PhysicianFactory
from guidance.models import CrisisExpression, CrisisReply

pytestmark = [pytest.mark.django_db, pytest.mark.portable]


def page(client, path, query):
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def crisis_panel(html):
    return html.select_one("main section.crisis-reply")


def approve(language, text):
    """``text`` as the crisis reply in ``language``, written by an administrator and approved by a
    physician (registered for the language, outside Japanese) in the Medical review workflow."""
    from articles.factories import MedicalReviewerFactory, UserFactory
    from guidance.factories import review

    reply = CrisisReply.objects.get(language=language)
    reply.text = text
    reply.save()
    physician = PhysicianFactory(user=UserFactory())
    if language != "ja":
        MedicalReviewerFactory(
            user=physician.user, role="physician", physician=physician, languages=[language]
        )
    review(reply, UserFactory(is_superuser=True), physician.user)
    assert reply.approved


@pytest.mark.parametrize("query", ["死にたい", "もう消えたい", "ｼﾆﾀｲ"])
def test_a_crisis_search_shows_the_crisis_reply_first_with_tel_links(client, home_page, query):
    approve("ja", "【サンプル】ひとりで抱えこまないで。いますぐ下の窓口に話してください。")

    _response, html = page(client, "/search/", query)

    panel = crisis_panel(html)
    assert panel is not None
    heading = panel.select_one("h2")
    assert panel["aria-labelledby"] == heading["id"]
    assert "【サンプル】ひとりで抱えこまないで。" in panel.get_text()
    dials = {link["href"] for link in panel.select("a[href^='tel:']")}
    assert {"tel:119", "tel:%238000", "tel:0120279338", "tel:0570783556", "tel:189"} <= dials
    # Before anything else in the page's content: the search form and the result count come after it.
    main = html.select_one("main")
    order = [
        element for element in main.find_all(True) if element in (panel, *main.select("form, .result-count"))
    ]
    assert order[0] is panel
    assert "Try other words" not in html.get_text() and "別のことば" not in html.get_text()


def test_an_english_crisis_search_answers_in_english(client, home_page):
    CrisisExpression.objects.create(expression="cannot go on anymore")  # administrators extend the list
    approve("en", "[Sample] You do not have to carry this alone. Please call one of these lines now.")

    _response, html = page(client, "/en/search/", "I cannot go on anymore")

    panel = crisis_panel(html)
    assert panel is not None
    assert "[Sample] You do not have to carry this alone." in panel.get_text()
    assert "Ambulance" in panel.get_text()
    assert panel.select_one("a[href='tel:119']") is not None


def test_a_japanese_crisis_search_on_the_english_site_answers_in_english(client, home_page):
    _response, html = page(client, "/en/search/", "死にたい")

    panel = crisis_panel(html)
    assert panel is not None and "Ambulance" in panel.get_text()  # unapproved: the numbers alone


def test_an_unapproved_crisis_reply_is_not_shown_only_the_numbers(client, home_page):
    reply = CrisisReply.objects.get(language="ja")

    _response, html = page(client, "/search/", "死にたい")

    panel = crisis_panel(html)
    assert panel is not None
    assert reply.text[:20] not in panel.get_text()
    assert panel.select_one("a[href='tel:119']") is not None


@pytest.mark.parametrize("query", ["離乳食", "死ぬほど眠い", ""])
def test_an_ordinary_search_shows_no_crisis_reply(client, home_page, query):
    _response, html = page(client, "/search/", query)

    assert crisis_panel(html) is None


def test_a_crisis_search_is_never_cached_and_shows_the_reply_every_time(client, home_page):
    for _attempt in range(2):
        response, html = page(client, "/search/", "死にたい")
        assert crisis_panel(html) is not None
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_cached_search_shows_the_crisis_reply_once_its_words_are_added_to_the_list(
    client, home_page, django_capture_on_commit_callbacks
):
    response, html = page(client, "/search/", "もう限界かもしれない")
    assert crisis_panel(html) is None
    assert "max-age" in response["Cache-Control"]  # an ordinary search is cached briefly

    with django_capture_on_commit_callbacks(execute=True):
        CrisisExpression.objects.create(expression="もう限界")

    _response, html = page(client, "/search/", "もう限界かもしれない")
    assert crisis_panel(html) is not None

"""An axe-core sweep over every public page type of the demo site, in Japanese, やさしい日本語 and
English, on a 360 px phone: no serious or critical violation.

axe-core comes from the ``axe-playwright-python`` package (pinned in requirements.txt), which ships
Deque's ``axe.min.js``; it runs in Debian's Chromium on the live demo content.
"""

import io
import os

import pytest

from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["ja", "ja-x-easy", "en"]
SEVERE = {"serious", "critical"}
SHOTS = os.environ.get("OYAKO_A11Y_SHOTS")  # a folder: keep each page's screenshot there


def page_in(page, language):
    """``page``'s URL as a reader of ``language`` reaches it: its translation where live, else the
    page along the fallback chain with the "not yet in" notice."""
    translated = page.get_translations(inclusive=True).live().filter(locale__language_code=language).first()
    if translated is not None:
        return translated.url
    return f"{page.url}?missing={language}"


def prefixed(path, language):
    return path if language == "ja" else f"/{language}{path}"


def public_views():
    """``[(name, language, path)]`` for every public page type in every language of the sweep."""
    from wagtail.models import Page

    from articles.models import ArticleIndexPage, ArticlePage
    from campaigns.models import CampaignPage
    from outcomes.models import SurveyPage

    ja = {"locale__language_code": "ja"}
    home = Page.objects.get(depth=2, **ja)
    index = ArticleIndexPage.objects.live().get(**ja)
    articles = ArticlePage.objects.live().filter(**ja)
    translated = next(a for a in articles if a.get_translations().live().filter(locale__language_code="en"))
    untranslated = next(a for a in articles if not a.get_translations().live().exists())
    campaign = CampaignPage.objects.live().filter(**ja).first()
    survey = SurveyPage.objects.live().filter(**ja).first()
    views = []
    for language in LANGUAGES:
        views += [
            ("home", language, page_in(home, language)),
            ("article index", language, page_in(index, language)),
            ("article", language, page_in(translated, language)),
            ("campaign", language, page_in(campaign, language)),
            ("get help", language, prefixed("/help/", language)),
            ("search results", language, prefixed("/search/?q=%E7%86%B1", language)),  # 熱
            ("survey form", language, page_in(survey, language)),
            # The notice on a page not yet in the reader's language (Korean for the Japanese page).
            (
                "language fallback",
                language,
                f"{untranslated.url}?missing={'ko' if language == 'ja' else language}",
            ),
        ]
    return views


def test_every_public_page_type_has_no_serious_accessibility_violation(live_server, browser, monkeypatch):
    from axe_playwright_python.sync_playwright import Axe

    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("load_demo_content", stdout=io.StringIO())
    views = public_views()
    assert len(views) == 24

    axe = Axe()
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="ja-JP", timezone_id="Asia/Tokyo"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    found = {}
    try:
        for name, language, path in views:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (name, language, path, response.status)
            if SHOTS:
                page.screenshot(
                    path=os.path.join(SHOTS, f"{name}-{language}.png".replace(" ", "-")), full_page=True
                )
            results = axe.run(
                page,
                options={
                    "resultTypes": ["violations"],
                    "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
                },
            )
            severe = [
                f"{violation['id']} ({violation['impact']}): "
                + "; ".join(
                    node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                    for node in violation["nodes"][:3]
                )
                for violation in results.response["violations"]
                if violation["impact"] in SEVERE
            ]
            if severe:
                found[f"{name} [{language}] {path}"] = severe
    finally:
        context.close()
    assert not found, "\n".join(f"{view}: {issues}" for view, issues in found.items())

"""The bot's article route: only approved, public articles, in the follower's best language."""

import pytest

from guidance.backends.offline import OfflineRetrievalBackend
from guidance.tests.test_bot import _english_copy

pytestmark = [pytest.mark.django_db]


def _best(text, language):
    from guidance import text as analysis

    backend = OfflineRetrievalBackend()
    return backend.best_articles(text, analysis.analyse(text), language)


def test_a_privately_restricted_translation_is_never_offered(make_article, english):
    """The Japanese article is public; its English translation was made private on its own (login).
    The site never shows it to an anonymous parent; the bot must not offer it either."""
    from wagtail.models import Page, PageViewRestriction

    source = make_article(title="【サンプル】予防接種のスケジュール", summary="【サンプル】予防接種の受け方")
    translation = _english_copy(source, english, "[Sample] Vaccination schedule (staff only)")
    PageViewRestriction.objects.create(page=translation, restriction_type=PageViewRestriction.LOGIN)
    assert not Page.objects.public().filter(pk=translation.pk).exists()

    offered = _best("予防接種のスケジュール", "en")

    assert translation.pk not in [page.pk for page in offered]


def test_an_editors_answer_never_links_a_private_article(make_article):
    from wagtail.models import PageViewRestriction

    from guidance.factories import QuestionAnswerFactory

    article = make_article(title="【サンプル】母乳の悩み（職員用）")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    entry = QuestionAnswerFactory(question="助産師に相談したい", article=article)

    links = list(OfflineRetrievalBackend().links(entry, "ja"))

    assert article.get_full_url() not in [link.url for link in links]


def test_an_unapproved_best_match_does_not_hide_approved_articles(make_article, english):
    """An English follower: the best-matching English page is a translation whose approval no longer
    holds (live, unapproved); an approved English article meeting most of the words must still be
    offered (before a092ac2 it was: any approved article meeting a word was a candidate)."""
    from wagtail.search.index import insert_or_update_object

    x = make_article(title="【サンプル】離乳食の始め方", summary="【サンプル】離乳食")
    x_en = _english_copy(x, english, "When to start solid food", approved=False)
    x_en.title = "When to start solid food"  # its live text (an approval that no longer holds)
    x_en.save(update_fields=["title"])
    insert_or_update_object(x_en)
    y = make_article(title="【サンプル】離乳食のかたさ", summary="【サンプル】離乳食")
    y_en = _english_copy(y, english, "Solid food textures")

    offered = _best("when to start solid food", "en")

    assert [page.pk for page in offered] == [y_en.pk]


def test_a_filipino_follower_gets_the_approved_english_article_along_the_fallback_chain(
    make_article, english
):
    """Filipino falls back to English before Japanese (LANGUAGE_FALLBACKS), as answers and pushes do."""
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="tl")
    source = make_article(title="【サンプル】予防接種のスケジュール", summary="【サンプル】予防接種の受け方")
    english_page = _english_copy(source, english, "[Sample] Vaccination schedule")

    offered = _best("予防接種のスケジュール", "tl")

    assert [page.pk for page in offered] == [english_page.pk]

"""The default answering backend: offline retrieval from the hub's own content.

First the editors' questions and answers, matched by the hub's text analysis against every way to
ask; then up to three live articles with a physician's approval of their live revision.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .. import text as analysis
from ..models import QuestionAnswer, Route
from .base import Answer, BaseAnswerBackend, Card, Carousel, Link, Text

# How alike a message and a way to ask must be (Dice of their content words) to be the same question.
ANSWER_THRESHOLD = 0.5
# How many of a message's content words an article's title, summary and description must contain.
ARTICLE_THRESHOLD = 1.0
ARTICLE_CANDIDATES = 20
MAX_ARTICLES = 3


def _languages(language):
    return [language] if language == settings.LANGUAGE_CODE else [language, settings.LANGUAGE_CODE]


def approved_live_article(page):
    """``page`` as its specific ArticlePage when it is live with its live revision approved, else None."""
    from articles.gate import is_approved
    from articles.models import ArticlePage

    page = page.specific if page is not None else None
    if not isinstance(page, ArticlePage) or not page.live or not is_approved(page.live_revision_id, page):
        return None
    return page


def in_language(page, language):
    """The approved live translation of ``page`` in ``language``, else ``page`` itself."""
    if page.locale.language_code == language:
        return page
    translated = page.get_translations().filter(locale__language_code=language).first()
    return approved_live_article(translated) or page


class OfflineRetrievalBackend(BaseAnswerBackend):
    def answer(self, text, language):
        words = analysis.analyse(text)
        if not words:
            return None
        return self.match_question(words, language) or self.find_articles(text, words, language)

    def match_question(self, words, language):
        entries = QuestionAnswer.objects.filter(
            active=True, locale__language_code__in=_languages(language)
        ).select_related("locale", "service", "article")
        best, best_score = None, 0.0
        for entry in entries:
            score = max(
                (
                    analysis.similarity(words, analysis.analyse_phrasing(phrasing))
                    for phrasing in entry.phrasing_list()
                ),
                default=0.0,
            )
            if score > best_score:
                best, best_score = entry, score
        if best is None or best_score < ANSWER_THRESHOLD:
            return None
        if best.locale.language_code != language:
            best = (
                QuestionAnswer.objects.filter(
                    translation_key=best.translation_key, locale__language_code=language, active=True
                ).first()
                or best
            )
        return Answer(Route.ANSWER, [Text(best.answer, tuple(self.links(best, language)))], language)

    def links(self, entry, language):
        from ..answering import get_help_url

        with translation.override(language):
            if entry.service_id:
                service = entry.service
                yield Link(service.name, service.start_url() or get_help_url(language))
            article = approved_live_article(entry.article)
            if article is not None:
                article = in_language(article, language)
                yield Link(article.title, article.get_full_url())

    def find_articles(self, text, words, language):
        from wagtail.models import Locale

        from articles.models import ArticlePage

        scored = {}
        for locale in Locale.objects.filter(language_code__in=_languages(language)):
            candidates = (
                ArticlePage.objects.live()
                .filter(locale=locale)
                .search(text[: analysis.MAX_MESSAGE_LENGTH], operator="or")[:ARTICLE_CANDIDATES]
            )
            for page in candidates:
                page = approved_live_article(page)
                if page is None:
                    continue
                document = analysis.analyse(" ".join([page.title, page.summary, page.search_description]))
                score = analysis.coverage(words, document)
                if score < ARTICLE_THRESHOLD:
                    continue
                page = in_language(page, language)
                if page.translation_key not in scored or scored[page.translation_key][0] < score:
                    scored[page.translation_key] = (score, page)
        best = [page for _score, page in sorted(scored.values(), key=lambda item: -item[0])][:MAX_ARTICLES]
        if not best:
            return None
        with translation.override(language):
            cards = tuple(Card(page.title, page.summary, page.get_full_url(), _("Read")) for page in best)
            alt = _("Articles that may help: %(titles)s") % {
                "titles": " / ".join(page.title for page in best)
            }
            return Answer(Route.ARTICLES, [Carousel(alt, cards)], language)

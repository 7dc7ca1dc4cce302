"""The default answering backend: offline retrieval from the hub's own content.

First the editors' questions and answers, matched by the hub's text analysis against every way to
ask, sent only in words a reviewer approved (:func:`guidance.review.words_for_parent`), in the first
language along the follower's chain that has them, and followed by the best approved articles; else
up to three live articles with a physician's approval of their live revision, found and ranked by the site's
search.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from .. import text as analysis
from ..models import QuestionAnswer, Route
from ..review import words_for_parent
from .base import Answer, BaseAnswerBackend, Card, Carousel, Link, Text

# How alike a message and a way to ask must be (Dice of their content words) to be the same question.
ANSWER_THRESHOLD = 0.5
MAX_ARTICLES = 3


def approved_live_article(page):
    """``page`` as its specific ArticlePage when it is live with its live revision approved, else None."""
    from articles.gate import is_approved
    from articles.models import ArticlePage

    page = page.specific if page is not None else None
    if not isinstance(page, ArticlePage) or not page.live or not is_approved(page.live_revision_id, page):
        return None
    if page.get_view_restrictions().exists():  # private, itself or through an ancestor
        return None
    return page


def in_language(page, language):
    """``page`` in the first language along ``language``'s fallback chain with an approved, live,
    public translation (``page`` itself, approved, where the chain reaches its own language first)."""
    from articles.translations import fallback_chain

    translations = {
        translated.locale.language_code: translated
        for translated in page.get_translations(inclusive=True).select_related("locale")
    }
    for code in fallback_chain(language):
        if code == page.locale.language_code:
            return page
        found = approved_live_article(translations.get(code))
        if found is not None:
            return found
    return page


class OfflineRetrievalBackend(BaseAnswerBackend):
    def answer(self, text, language):
        words = analysis.analyse(text)
        if not words:
            return None
        return self.match_question(text, words, language) or self.find_articles(text, words, language)

    def match_question(self, text, words, language):
        """The best-matching answer in approved words, then the best approved articles, or None."""
        from articles.translations import fallback_chain

        chain = fallback_chain(language)
        entries = QuestionAnswer.objects.filter(active=True, live=True, locale__language_code__in=chain)
        scored = []
        for entry in entries:
            score = max(
                (
                    analysis.similarity(words, analysis.analyse_phrasing(phrasing))
                    for phrasing in entry.phrasing_list()
                ),
                default=0.0,
            )
            if score >= ANSWER_THRESHOLD:
                scored.append((score, entry))
        for _score, entry in sorted(scored, key=lambda item: -item[0]):
            approved = self.approved_words(entry, chain)
            if approved is None:
                continue
            links = tuple(self.links(approved, language))
            messages = [Text(approved.answer, links)]
            linked = {link.url for link in links}
            pages = [
                page
                for page in self.best_articles(text, words, language)
                if page.get_full_url() not in linked
            ]
            if pages:
                messages.append(self.carousel(pages, language))
            return Answer(Route.ANSWER, messages, language)
        return None

    @staticmethod
    def approved_words(entry, chain):
        """``entry``'s approved words in the first language of ``chain`` that has them, or None.

        A translation waiting for review is skipped for an approved one further along the chain,
        never sent.
        """
        translations = {
            translation.locale.language_code: translation
            for translation in QuestionAnswer.objects.filter(
                translation_key=entry.translation_key, locale__language_code__in=chain, live=True, active=True
            ).select_related("locale")
        }
        for code in chain:
            approved = words_for_parent(translations.get(code))
            if approved is not None and approved.active:
                return approved
        return None

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

    def best_articles(self, text, words, language):
        """Up to three live, public, approved articles the message is about, each in ``language``
        where an approved translation exists.

        The site's search finds and ranks them (:func:`articles.search.search_pages`: one database
        query, the same synonyms, title and summary weighing most) over every language of the
        follower's fallback chain, among approved pages only; a message whose words match only
        weakly gets no article.
        """
        from wagtail.models import Locale

        from articles.models import ArticlePage
        from articles.search import search_pages
        from articles.translations import fallback_chain

        chain = fallback_chain(language)
        locales = Locale.objects.filter(language_code__in=chain).values_list("pk", flat=True)
        pages = ArticlePage.objects.live().public().filter(locale__in=list(locales))
        approved = {}  # page id -> the approved live page or None, asked once per page

        def accept(page):  # before the best are cut
            if page.pk not in approved:
                approved[page.pk] = approved_live_article(page)
            return approved[page.pk] is not None

        found = search_pages(pages, text[: analysis.MAX_MESSAGE_LENGTH], accept=accept)
        best = {}
        for page in found:
            if page.translation_key in best:
                continue
            best[page.translation_key] = in_language(approved[page.pk], language)
            if len(best) == MAX_ARTICLES:
                break
        return list(best.values())

    @staticmethod
    def carousel(pages, language):
        with translation.override(language):
            cards = tuple(Card(page.title, page.summary, page.get_full_url(), _("Read")) for page in pages)
            alt = _("Articles that may help: %(titles)s") % {
                "titles": " / ".join(page.title for page in pages)
            }
            return Carousel(alt, cards)

    def find_articles(self, text, words, language):
        best = self.best_articles(text, words, language)
        if not best:
            return None
        return Answer(Route.ARTICLES, [self.carousel(best, language)], language)

"""Counting what is served, cached or not, with no cookie and no identifier.

The article page and the search page mark their response with ``X-Oyako-Measure`` (``article:<pk>``,
or ``search-miss`` for a search that found nothing). The page cache stores the header with the
page, so a cached copy carries it too. This middleware, the outermost, reads the mark on every
response, keeps one row, and removes the header before it leaves the hub.
"""

import logging

from django.utils import timezone

from notifications.kpi import FISCAL_TZ

HEADER = "X-Oyako-Measure"
logger = logging.getLogger(__name__)


def mark_article(response, page, request=None):
    """Mark an article served to a reader (an editor's preview is no view)."""
    if not getattr(request, "is_preview", False):
        response[HEADER] = f"article:{page.pk}"
    return response


def mark_search_miss(response):
    response[HEADER] = "search-miss"
    return response


class MeasurementMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        mark = response.get(HEADER)
        if mark:
            del response[HEADER]
        if mark and request.method == "GET" and response.status_code == 200:
            try:
                self._count(request, response, mark)
            except Exception:  # counting never costs a parent the page
                logger.warning("View not counted", exc_info=True)
        return response

    @staticmethod
    def _count(request, response, mark):
        from .models import ArticleView, NotFoundSource

        if mark.startswith("article:"):
            ArticleView.objects.create(
                page_id=int(mark.split(":", 1)[1]), viewed_on=timezone.now().astimezone(FISCAL_TZ).date()
            )
        elif mark == "search-miss" and request.GET.get("page", "1") in ("", "1"):
            from articles.search import MAX_QUERY_LENGTH

            from . import topics

            query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
            language = response.get("Content-Language") or "ja"
            topics.record(NotFoundSource.SEARCH, query, language)

"""The public search page."""

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

from wagtail.models import Locale

from guidance import crisis
from measurement.middleware import mark_search_miss
from pagecache.memo import per_generation, public

from .models import CARD_IMAGE_PREFETCH, ArticlePage, paginate
from .search import MAX_QUERY_LENGTH, search_pages


def search(request):
    """Search live articles in the current language. Any query string gets a page, never a 500.

    The crisis check runs first: a query that suggests a crisis shows the approved crisis reply,
    with its numbers as tel: links, above everything else, and that page is never kept in any cache.
    """
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    crisis_reply = crisis.check(query, get_language())
    language = get_language()
    locale = per_generation(("wagtailcore.Locale", language), Locale.get_active)
    articles = (
        public(ArticlePage.objects.live())
        .filter(locale=locale)
        .select_related("physician", "image")
        .prefetch_related("life_stages", *CARD_IMAGE_PREFETCH)
    )
    results = search_pages(articles, query)
    response = TemplateResponse(
        request,
        "articles/search.html",
        {
            "search_query": query,
            "results": paginate(results, request.GET.get("page")),
            "crisis_reply": crisis_reply,
        },
    )
    if crisis_reply:
        # What a parent in crisis wrote is echoed on the page; it is not kept, not even by a cache.
        add_never_cache_headers(response)
    elif query and not results:
        # Found nothing (or only the suggestions): counted for editors, masked, never a crisis query.
        mark_search_miss(response)
    return response

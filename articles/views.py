"""The public search page."""

from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

from wagtail.models import Locale

from guidance import crisis
from measurement.middleware import mark_search_miss
from pagecache import memo
from pagecache.memo import per_generation, public

from .models import CARD_IMAGE_PREFETCH, ArticlePage, paginate
from .search import MAX_QUERY_LENGTH, search_ids


def _cards(request, ids, articles):
    """The result cards of the articles ``ids``, in order, as HTML: each rendered once per page-cache
    generation, language and host (pagecache.memo; a publish or any edit to what a card shows starts
    a new generation), the others loaded in one query and rendered here."""
    language, host = get_language(), request.get_host()
    keys = {pk: ("articles:search-card", pk, language, host) for pk in ids}
    kept = memo.get_many(keys.values())
    cards = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [pk for pk in ids if pk not in cards]
    if missing:
        template = get_template("includes/article_card.html")
        for pk, article in articles.in_bulk(missing).items():
            cards[pk] = template.render({"article": article, "heading_level": 2, "request": request})
            memo.keep(keys[pk], cards[pk])
    return [cards[pk] for pk in ids if pk in cards]  # SafeStrings, as the template rendered them


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
    results = search_ids(articles, query, index_key=("articles:search", locale.pk))
    shown = paginate(results, request.GET.get("page"))
    response = TemplateResponse(
        request,
        "articles/search.html",
        {
            "search_query": query,
            "results": shown,
            "cards": _cards(request, list(shown.object_list), articles),
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

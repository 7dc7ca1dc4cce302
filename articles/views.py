"""The public search page."""

from django.template.response import TemplateResponse

from wagtail.models import Locale

from .models import CARD_IMAGE_PREFETCH, ArticlePage, paginate
from .search import MAX_QUERY_LENGTH, search_pages


def search(request):
    """Search live articles in the current language. Any query string gets a page, never a 500."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    articles = (
        ArticlePage.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .select_related("physician", "image")
        .prefetch_related("life_stages", *CARD_IMAGE_PREFETCH)
    )
    results = search_pages(articles, query)
    return TemplateResponse(
        request,
        "articles/search.html",
        {"search_query": query, "results": paginate(results, request.GET.get("page"))},
    )

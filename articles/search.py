"""Japanese full-text search on SQLite FTS5 and PostgreSQL alike.

Neither SQLite's unicode61 tokenizer nor PostgreSQL's default parser segments Japanese: a
sentence without spaces becomes one long token, so "離乳食" never matches "離乳食の進め方".
We segment Japanese ourselves, the same way at index time and at query time, into overlapping
character bigrams (the approach of pg_bigm and Groonga's default tokenizer): "離乳食" becomes
"離乳 乳食", and a query matches when all its bigrams are present. Words in Latin script and
digits stay whole and are lower-cased. The database then only ever sees space-separated
tokens, so the result is the same on both engines.

``SegmentedSearchField`` segments what a page indexes; ``backend`` wraps Wagtail's database
backend so every query (site search, admin search, API ``?search=``) is segmented too.
"""

import re
import unicodedata

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from wagtail.search import index

# Runs of characters that Japanese writes without spaces: kanji, hiragana, katakana
# (full and half width), the iteration marks and the prolonged sound mark.
_CJK = r"\u3005\u3006\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+", re.UNICODE)
_CJK_RUN_RE = re.compile(rf"[{_CJK}]+")
MAX_QUERY_LENGTH = 200


def _bigrams(run):
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text, unigrams=False):
    """Split text into tokens: CJK bigrams and whole Latin words.

    With ``unigrams`` (used when indexing), each CJK character is also a token, so that a
    one-character query such as "熱" still finds "発熱".
    """
    if not text:
        return []
    text = unicodedata.normalize("NFKC", str(text)).lower()
    result = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        if _CJK_RUN_RE.fullmatch(token):
            result.extend(_bigrams(token))
            if unigrams and len(token) > 1:
                result.extend(token)
        else:
            result.append(token)
    return result


def segment(text):
    """Return text as the space-separated tokens the index stores."""
    return " ".join(tokens(text, unigrams=True))


def segment_query(query):
    """Return a user's query as search tokens, bounded in length; "" when nothing is searchable."""
    return " ".join(dict.fromkeys(tokens(str(query)[:MAX_QUERY_LENGTH])))


def _flatten(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(_flatten(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_flatten(item) for item in value.values())
    return str(value)


class SegmentedSearchField(index.SearchField):
    """A search field whose indexed text is segmented for Japanese."""

    def get_value(self, obj):
        return segment(_flatten(super().get_value(obj)))


class SegmentedAutocompleteField(index.AutocompleteField):
    """An autocomplete field whose indexed text is segmented for Japanese."""

    def get_value(self, obj):
        return segment(_flatten(super().get_value(obj)))


def page_search_fields(*fields, title_boost=2):
    """Wagtail's core page search fields plus a segmented title and ``fields``."""
    from wagtail.models import Page

    return [
        *Page.search_fields,
        SegmentedSearchField("title", boost=title_boost),
        SegmentedAutocompleteField("title"),
        *fields,
    ]


class JapaneseSegmentingBackendMixin:
    """Segments query strings before handing them to the database backend."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str):
            query = segment_query(query)
            if kwargs.get("operator") is None:
                kwargs["operator"] = "and"
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


_backend_classes = {}


def backend(params):
    """Wagtail search backend factory: the database backend for this connection, segmenting."""
    base = DatabaseSearchBackend(params)
    base_class = type(base)
    if base_class not in _backend_classes:
        _backend_classes[base_class] = type(
            f"Japanese{base_class.__name__}", (JapaneseSegmentingBackendMixin, base_class), {}
        )
    return _backend_classes[base_class](params)


SearchBackend = backend

"""Japanese full-text search on SQLite FTS5 and PostgreSQL alike, in the words parents use.

Neither SQLite's unicode61 tokenizer nor PostgreSQL's default parser segments Japanese, so we
analyse text ourselves, the same way at index time and at query time, and the database only ever
sees space-separated tokens: the result is the same on both engines.

Analysis uses SudachiPy with its core dictionary (``sudachidict_core``). A text is indexed as:

* the *normalised forms* of its content words (nouns, verbs, adjectives, adverbs), in Sudachi's
  long (C) and short (A) units, so 母子手帳 is found by 母子手帳 and by 手帳, and spelling
  variants fold together (こども, 子供 and 子ども; ｱｶﾁｬﾝ, あかちゃん and 赤ちゃん);
* their readings in katakana, so a word a parent writes in kana finds its kanji spelling;
* overlapping character bigrams and single characters (the analyser this module used before,
  still :func:`segment`), so one kanji such as 熱 still finds 発熱 and any word Sudachi splits
  differently is still found by its characters.

A query is analysed into content words; particles and auxiliaries (が, を, た) are dropped, a
kana word also matches its reading, each word also matches its own bigrams, and the synonym list
editors keep in the admin (:class:`articles.models.SearchSynonym`) adds the other words of each
group it names (予防注射 ↔ 予防接種). :func:`search_pages` (the site's search) asks the database once
for the pages holding any of those terms and ranks them here, identically on both engines: pages
meeting every word first (else the best partial matches, else nothing when only a few words meet
in a body), then by the weight of the fields met (title and summary above the body). The terms of
a page's fields are analysed once per revision and kept; the synonym groups are kept in the cache.

Public functions other apps reuse (the guidance bot, for one):

* ``analyse(text) -> list[str]``: the normalised content words of ``text``, in order;
* ``morphemes(text)``: every morpheme of ``text`` with its offsets and part of speech (the bot's
  masking reads names and places from it), from the same one dictionary;
* ``search_pages(queryset, query)``: the site's search over a page queryset, ranked (see above);
* ``SegmentedSearchField`` / ``page_search_fields``: index fields analysed as above;
* ``backend``: the Wagtail search backend that analyses every query (site, admin, API).
"""

import functools
import re
import threading
import unicodedata

from django.conf import settings

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.query import And, Or, PlainText
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


# Parts of speech whose words carry meaning; particles, auxiliaries, symbols, pronouns go.
CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "副詞"}
# Light words that carry grammar, not meaning (as Sudachi normalises them).
STOP_WORDS = {
    *["為る", "する", "成る", "なる", "有る", "ある", "居る", "いる", "出来る", "できる", "来る", "くる"],
    *["行く", "いく", "置く", "おく", "見る", "みる", "仕舞う", "しまう", "事", "こと", "物", "もの"],
    *["為", "ため", "様", "よう", "所", "ところ", "の", "ん"],
}
_KANA_RE = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff]+$")
_local = threading.local()


@functools.cache
def _dictionary():
    """SudachiPy's core dictionary, opened once per process: a read-only memory mapping that every
    process mapping it shares (gunicorn's master opens it before forking, see ``gunicorn.conf.py``)."""
    from sudachipy import Dictionary

    return Dictionary(dict=getattr(settings, "SUDACHI_DICTIONARY", "core"))


def _tokenizer():
    """One Sudachi tokenizer per thread over the process's one dictionary."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = _dictionary().tokenizer()
    return tokenizer


def preload():
    """Open the dictionary and analyse once, so that a server forking workers after this shares the
    dictionary and the analyser's code with all of them (no database, no cache touched)."""
    analyse("赤ちゃんの熱が下がらない")


def _normalise(text):
    return unicodedata.normalize("NFKC", str(text)).lower()


# Sudachi refuses inputs over 49,149 bytes; long bodies are analysed a few sentences at a time.
_CHUNK_CHARS = 10_000  # at most 4 bytes a character in UTF-8
_SENTENCE_END_RE = re.compile(r"(?<=[。！？!?\n])")


def _chunks(text):
    chunk = ""
    for sentence in _SENTENCE_END_RE.split(text):
        while len(sentence) > _CHUNK_CHARS:
            yield sentence[:_CHUNK_CHARS]
            sentence = sentence[_CHUNK_CHARS:]
        if len(chunk) + len(sentence) > _CHUNK_CHARS:
            yield chunk
            chunk = ""
        chunk += sentence
    if chunk.strip():
        yield chunk


def _content_morphemes(text, mode="C"):
    from sudachipy import SplitMode

    split = SplitMode.C if mode == "C" else SplitMode.A
    return [
        morpheme
        for chunk in _chunks(text)
        for morpheme in _tokenizer().tokenize(chunk, split)
        if morpheme.part_of_speech()[0] in CONTENT_POS
        and morpheme.normalized_form() not in STOP_WORDS
        and _TOKEN_RE.search(morpheme.surface())
    ]


def morphemes(text):
    """Every morpheme of ``text`` (SplitMode C) as ``(start, end, surface, part_of_speech)``, the offsets
    counted in characters of ``text`` and the part of speech a tuple (名詞, 固有名詞, 人名, 姓).

    Uses the one shared dictionary; ``text`` is analysed as given (normalise it first if you want).
    """
    from sudachipy import SplitMode

    text = text or ""
    found = []
    for offset in range(0, len(text), _CHUNK_CHARS):  # consecutive slices, so offsets stay exact
        for morpheme in _tokenizer().tokenize(text[offset : offset + _CHUNK_CHARS], SplitMode.C):
            start, end = offset + morpheme.begin(), offset + morpheme.end()
            found.append((start, end, morpheme.surface(), tuple(morpheme.part_of_speech())))
    return found


def analyse(text):
    """Return the normalised content words of ``text``, in order, lower-cased.

    Particles, auxiliaries, symbols and light verbs are dropped; spelling variants fold to one
    form (「赤ちゃんが熱を出した」 → ``["赤ちゃん", "熱", "出す"]``; ｱｶﾁｬﾝ and あかちゃん → 赤ちゃん).
    The same function analyses pages for the index and queries, so anything reusing it (the
    guidance bot) sees words the way site search does.
    """
    if not text:
        return []
    return [_normalise(m.normalized_form()) for m in _content_morphemes(_normalise(text))]


def index_terms(text):
    """Every token the index stores for ``text`` (see the module docstring)."""
    if not text:
        return []
    text = _normalise(text)
    terms = []
    for mode in ("C", "A"):
        for morpheme in _content_morphemes(text, mode):
            terms.append(_normalise(morpheme.normalized_form()))
            terms.append(morpheme.reading_form())
    return [*dict.fromkeys(term for term in terms if _TOKEN_RE.fullmatch(term)), *tokens(text, unigrams=True)]


# A cap on the work one query can cause: at most this many conditions, each with at most this many
# character tokens (a long run of junk characters is not sent to the database whole).
MAX_CONCEPTS = 8
MAX_CHARACTER_TOKENS = 12
# How many pages the database hands over for ranking; more than a city's search ever shows.
MAX_CANDIDATES = 200


def _characters(text):
    return tuple(dict.fromkeys(tokens(text)))[:MAX_CHARACTER_TOKENS]


def _word_alternatives(morpheme):
    """A query word: its normalised form, its reading if written in kana, its surface's characters."""
    surface = morpheme.surface()
    alternatives = [(_normalise(morpheme.normalized_form()),)]
    if _KANA_RE.match(surface):
        alternatives.append((morpheme.reading_form(),))
    characters = _characters(surface)
    if characters:
        alternatives.append(characters)
    return tuple(dict.fromkeys(alternatives))


SYNONYMS_CACHE_KEY = "articles:search:synonym-groups"


def synonym_groups():
    """The editors' synonym groups, each a list of normalised terms.

    Kept in the cache (shared by every process) until an editor changes a group: a new search
    asks the cache, not the database.
    """
    from django.core.cache import cache

    from .models import SearchSynonym

    groups = cache.get(SYNONYMS_CACHE_KEY)
    if groups is None:
        groups = [group for group in (s.term_list() for s in SearchSynonym.objects.all()) if len(group) > 1]
        cache.set(SYNONYMS_CACHE_KEY, groups, 3600)
    return groups


def forget_synonyms(**kwargs):
    """Signal handler: an editor changed a synonym group, the next search reads them again."""
    from django.core.cache import cache

    cache.delete(SYNONYMS_CACHE_KEY)


def _term_alternative(term):
    words = analyse(term) or tokens(term)
    return tuple(dict.fromkeys(words))


@functools.lru_cache(maxsize=8)
def _synonym_index(groups):
    """``[(words of a term, alternatives)]``, longest first: each term of every group naming it.

    Analysed once per process for each version of the editors' list (``groups`` is hashable).
    """
    alternatives_of = {}
    words_of = {}
    for group in groups:
        alternatives = [alt for alt in (_term_alternative(term) for term in group) if alt]
        for term in group:
            words = tuple(analyse(term))
            if words and len(alternatives) > 1:
                words_of[term] = words
                alternatives_of.setdefault(words, []).extend(alternatives)
    index = [(list(words), tuple(dict.fromkeys(alts))) for words, alts in alternatives_of.items()]
    index.sort(key=lambda item: -len(item[0]))
    return index


def concepts(query):
    """A user's query as conditions, each a tuple of alternatives, each a tuple of terms all required.

    Each content word is one condition (its normalised form, its reading if written in kana, its
    characters); a run of words naming a synonym group is one condition met by any word of the
    group. Bounded: at most :data:`MAX_CONCEPTS` conditions from the first :data:`MAX_QUERY_LENGTH`
    characters. Returns ``(conditions, whole)`` where ``whole`` is an alternative that meets the whole
    query at once (a kana query's reading), or None.
    """
    text = _normalise(str(query)[:MAX_QUERY_LENGTH])
    morphemes = _content_morphemes(text)
    words = [_normalise(m.normalized_form()) for m in morphemes]
    groups = _synonym_index(tuple(tuple(group) for group in synonym_groups())) if words else []
    conditions = []
    position = 0
    while position < len(words) and len(conditions) < MAX_CONCEPTS:
        for term_words, alternatives in groups:
            if words[position : position + len(term_words)] == term_words:
                conditions.append(alternatives)
                position += len(term_words)
                break
        else:
            conditions.append(_word_alternatives(morphemes[position]))
            position += 1
    conditions = list(dict.fromkeys(conditions))
    if not conditions:
        characters = _characters(text)  # only particles or symbols: search the characters as typed
        if not characters:
            return [], None
        conditions.append((characters,))
    whole = None
    if _KANA_RE.match(text.strip()):
        # A word typed in kana that the dictionary splits oddly (りにゅうしょく) still meets the
        # reading of its kanji spelling.
        whole = (_katakana(text.strip()),)
    return conditions, whole


def _plain(alternative):
    return PlainText(" ".join(alternative), operator="and")


def _condition_query(alternatives):
    return _plain(alternatives[0]) if len(alternatives) == 1 else Or([_plain(alt) for alt in alternatives])


def _as_query(conditions, whole, operator):
    parts = [_condition_query(alternatives) for alternatives in conditions]
    built = parts[0] if len(parts) == 1 else And(parts) if operator == "and" else Or(parts)
    return Or([built, _plain(whole)]) if whole else built


def _candidate_query(conditions, whole):
    """One flat query for the pages holding any term of any condition: the database only finds
    candidates (one simple full-text match, cheap to build and to run); :func:`_score` ranks them."""
    terms = dict.fromkeys(term for alternatives in conditions for alt in alternatives for term in alt)
    terms.update(dict.fromkeys(whole or ()))
    return PlainText(" ".join(terms), operator="or")


def build_query(query, operator="and"):
    """Turn a user's query string into a search query, or None when nothing in it is searchable.

    The conditions of :func:`concepts`, joined with ``operator``.
    """
    conditions, whole = concepts(query)
    if not conditions:
        return None
    return _as_query(conditions, whole, operator)


def _katakana(text):
    return "".join(chr(ord(char) + 0x60) if "\u3041" <= char <= "\u3096" else char for char in text)


@functools.lru_cache(maxsize=512)
def field_terms(text):
    """The index terms of one field's text, as a set; remembered per process (page text only, never a
    parent's words)."""
    return frozenset(index_terms(text))


def _ranking_fields(model):
    """``[(search field, weight)]``: the segmented fields of ``model`` that rank a match."""
    return [
        (field, getattr(field, "boost", None) or 1)
        for field in model.get_search_fields()
        if isinstance(field, SegmentedSearchField)
    ]


_page_fields = {}
_PAGE_FIELDS_LIMIT = 512  # pages whose field terms are kept; then the memory starts again


# What the index loads of each page: enough to know it and its live revision, whose terms are kept.
_CANDIDATE_FIELDS = ("id", "live_revision_id", "last_published_at")


def _field_key(page):
    revision = getattr(page, "live_revision_id", None)
    return (type(page), page.pk, revision, getattr(page, "last_published_at", None))


def _page_field_terms(page):
    """``[(weight, terms)]`` for ``page``'s ranking fields, remembered per live revision."""
    key = _field_key(page)
    revision = key[2]
    remembered = _page_fields.get(key) if revision is not None else None
    if remembered is None:
        remembered = [
            (weight, field_terms(_flatten(index.SearchField.get_value(field, page))))
            for field, weight in _ranking_fields(type(page))
        ]
        if revision is not None:
            if len(_page_fields) >= _PAGE_FIELDS_LIMIT:
                _page_fields.clear()
            _page_fields[key] = remembered
    return remembered


def _score(fields, conditions, whole):
    """``(conditions met, weight of the fields they were met in, whether one was met in a field weighing
    more than the body)`` for a page's ``[(weight, terms)]``; title and summary weigh most."""
    met = 0
    weight = 0
    headline = False
    for alternatives in conditions:
        found = [w for w, terms in fields if any(terms.issuperset(alt) for alt in alternatives)]
        if found:
            met += 1
            weight += sum(found)
            headline = headline or max(found) > 1
    if whole:
        # The whole kana query met as one word counts above every word met by its characters.
        found = [w for w, terms in fields if terms.issuperset(whole)]
        if found:
            met = len(conditions) + 1
            weight += sum(found)
            headline = headline or max(found) > 1
    return met, weight, headline


class SearchOutcome(list):
    """The pages a search found, best first, and how well they matched.

    ``weak`` is true when the best pages match fewer than half the words, and those only in their
    body: no page is shown then, and the search page suggests other words and the help page instead
    of an unrelated article.
    """

    weak = False


def search_pages(queryset, query, accept=None):
    """The site's search: the pages of ``queryset`` matching most of the words of ``query``, best first.

    One database query finds the pages matching any of the words (the synonyms come from the cache);
    they are ranked here, the same way on SQLite and PostgreSQL: by how many of the words they match,
    then by where (title and summary weigh more than the body), then by age (oldest page first).
    Only the pages matching the most words are kept: every word if any page has them all, otherwise
    the best partial matches, and none when those match fewer than half the words and only in the
    body (``weak``). An unsearchable query (symbols only, empty) finds nothing. Returns a
    :class:`SearchOutcome`.

    ``accept(page)``, if given, says which candidates may be shown at all, before the best are
    chosen (the bot's approval check): a page it refuses never hides one it accepts. It is asked
    in ranking order, only as far as the best accepted pages.
    """
    conditions, whole = concepts(query)
    if not conditions:
        return SearchOutcome()
    candidates = {
        page.pk: page for page in queryset.search(_candidate_query(conditions, whole))[:MAX_CANDIDATES]
    }
    ranked = _rank(
        [(*_score(_page_field_terms(page), conditions, whole), pk) for pk, page in candidates.items()],
        conditions,
        accept=None if accept is None else (lambda pk: accept(candidates[pk])),
    )
    outcome = SearchOutcome(candidates[pk] for pk in ranked)
    outcome.weak = ranked.weak
    return outcome


def _rank(scored, conditions, accept=None):
    """The keys of ``scored`` (``(met, weight, headline, pk)``) to show, best first (see
    :func:`search_pages`), as a :class:`SearchOutcome`; ``accept(pk)`` filters before the cut."""
    outcome = SearchOutcome()
    scored = sorted(scored, key=lambda item: (-item[0], -item[1], item[3]))
    if accept is not None:
        accepted = []
        for item in scored:
            if accepted and item[0] < accepted[0][0]:
                break
            if accept(item[3]):
                accepted.append(item)
        scored = accepted
    if not scored:
        return outcome
    best = scored[0][0]
    scored = [item for item in scored if item[0] == best]
    if best == 0 or (best * 2 < len(conditions) and not any(item[2] for item in scored)):
        outcome.weak = True
        return outcome
    # Every word met, or the whole word met at once: the pages meeting the most are shown, those
    # met in the weightiest fields first, then the oldest.
    outcome.extend(pk for _met, _weight, _headline, pk in scored)
    return outcome


class _Index:
    """The ranking fields' terms of every page of a queryset, and which pages hold each term."""

    def __init__(self, queryset):
        light = queryset.select_related(None).prefetch_related(None).only(*_CANDIDATE_FIELDS)
        self.fields = {}
        for page in light:
            kept = _page_fields.get(_field_key(page))
            self.fields[page.pk] = kept
        missing = [pk for pk, kept in self.fields.items() if kept is None]
        if missing:  # loaded whole once per revision and process, in one query
            for page in queryset.select_related(None).prefetch_related(None).filter(pk__in=missing):
                self.fields[page.pk] = _page_field_terms(page)
        self.fields = {pk: kept for pk, kept in self.fields.items() if kept is not None}
        self.postings = {}
        for pk, fields in self.fields.items():
            for _weight, terms in fields:
                for term in terms:
                    self.postings.setdefault(term, set()).add(pk)

    def candidates(self, conditions, whole):
        terms = {term for alternatives in conditions for alt in alternatives for term in alt}
        terms.update(whole or ())
        found = set()
        for term in terms:
            found |= self.postings.get(term, set())
        return found


def search_ids(queryset, query, index_key):
    """:func:`search_pages`'s ranking as page ids, without a database query on a parent's page.

    On a request the page cache has a generation for (an anonymous GET it could not answer), the
    terms of every page of ``queryset`` are kept in this process for that generation under
    ``index_key`` (which must name ``queryset``'s filters, e.g. the locale): one light query when a
    generation starts (ids and live revisions; whole pages only for revisions this process has not
    analysed), none for each search after it. Publishing, unpublishing, a page made private, a
    synonym saved: each starts a new generation. Elsewhere (no generation) the database finds the
    candidates as :func:`search_pages` does. The same pages come first either way.
    """
    from pagecache.memo import current, per_generation

    if current() is None:
        found = search_pages(queryset.select_related(None).prefetch_related(None), query)
        outcome = SearchOutcome(page.pk for page in found)
        outcome.weak = found.weak
        return outcome
    conditions, whole = concepts(query)
    if not conditions:
        return SearchOutcome()
    index = per_generation(("articles.search:index", index_key), lambda: _Index(queryset))
    scored = [
        (*_score(index.fields[pk], conditions, whole), pk) for pk in index.candidates(conditions, whole)
    ]
    return _rank(scored, conditions)


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
        return " ".join(index_terms(_flatten(super().get_value(obj))))


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
    """Analyses query strings (see :func:`build_query`) before handing them to the database backend."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        autocomplete = query_compiler_class is getattr(self, "autocomplete_query_compiler_class", None)
        if isinstance(query, str) and autocomplete:
            query = segment_query(query)
            kwargs["operator"] = kwargs.get("operator") or "and"
        elif isinstance(query, str):
            query = build_query(query, operator=kwargs.pop("operator", None) or "and") or ""
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

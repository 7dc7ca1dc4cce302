"""The bot's Japanese text analysis: the hub's analyser, reached from this one place.

``analyse`` is what the bot matches with from ``articles.search``: SudachiPy's normalised content
words, so a message is matched the way site search reads pages (particles and auxiliaries dropped,
spelling variants folded). Every word counts the same. ``morphemes`` (every morpheme with its part of
speech) is what masking reads names and places from. Both use the hub's one dictionary.
"""

import functools

from articles.search import analyse as _hub_analyse
from articles.search import morphemes as _hub_morphemes

MAX_MESSAGE_LENGTH = 500


def analyse(text):
    """The distinct content words of a message, as the hub's search reads them."""
    return set(_hub_analyse(str(text or "")[:MAX_MESSAGE_LENGTH]))


def morphemes(text):
    """Every morpheme of ``text`` as ``(start, end, surface, part_of_speech)`` (see ``articles.search``)."""
    return _hub_morphemes(str(text or ""))


@functools.lru_cache(maxsize=16384)
def analyse_phrasing(text):
    """``analyse`` for the editors' own phrasings of a question, remembered per process: they are
    few, change rarely and are compared with every message. (A parent's message is never kept.)"""
    return frozenset(analyse(text))


def similarity(query_words, candidate_words):
    """Dice coefficient of two word sets: 1.0 for the same words, 0 for none shared."""
    total = len(query_words) + len(candidate_words)
    if not total:
        return 0.0
    return 2 * len(query_words & candidate_words) / total

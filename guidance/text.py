"""The bot's Japanese text analysis: the hub's analyser, reached from this one place.

``analyse`` is the only function the bot uses from ``articles.search``; when the hub's analyser
changes (morphological analysis replacing character bigrams), only the import below changes.
"""

import re

from articles.search import tokens as _hub_tokens

MAX_MESSAGE_LENGTH = 500
_HIRAGANA_ONLY = re.compile(r"^[\u3040-\u309f]+$")
_NO_HIRAGANA = re.compile(r"^[^\u3040-\u309f]+$")
# Tokens in kanji, katakana or Latin script are mostly content words and count 1. Tokens written
# only in hiragana are mostly grammar (です, から, ので) and count less, though enough that つわり is
# found; a bigram straddling kanji and hiragana (相談で → 談で) is mostly a word's edge and counts least.
CONTENT_WEIGHT = 1.0
FUNCTION_WEIGHT = 0.34
EDGE_WEIGHT = 0.2


def analyse(text):
    """The distinct search tokens of a message, as the hub's search indexes them."""
    return set(_hub_tokens(str(text or "")[:MAX_MESSAGE_LENGTH]))


def _token_weight(token):
    if _NO_HIRAGANA.match(token):
        return CONTENT_WEIGHT
    return FUNCTION_WEIGHT if _HIRAGANA_ONLY.match(token) else EDGE_WEIGHT


def weight(tokens):
    return sum(_token_weight(token) for token in tokens)


def similarity(query_tokens, candidate_tokens):
    """Weighted Dice coefficient of two token sets: 1.0 for the same words, 0 for none shared."""
    total = weight(query_tokens) + weight(candidate_tokens)
    if not total:
        return 0.0
    return 2 * weight(query_tokens & candidate_tokens) / total


def coverage(query_tokens, document_tokens):
    """The weight of the query's tokens that the document contains."""
    return weight(query_tokens & document_tokens)

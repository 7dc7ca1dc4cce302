"""Deciding whether a message suggests a crisis.

The rule, so that editors and physicians can reason about it:

1. **Normalise** the message and every expression the same way: Unicode NFKC (full-width letters
   and digits and half-width katakana become their ordinary forms), lower case, katakana folded to
   hiragana (シニタイ and ｼﾆﾀｲ read as しにたい), and spaces, punctuation and symbols removed
   (し に た い and し・に・た・い read as しにたい). Kanji are not read into kana, so the list holds
   each expression in kanji and in kana (死にたい and しにたい).
2. **Cut out harmless idioms** (kind "idiom"): intensifiers such as 死ぬほど (死ぬほど眠い, "dead
   tired") or 死ぬかと思った are removed from the message.
3. **Look for a crisis expression** in what remains. Crisis expressions are specific
   (死にたい, 消えたい, 叩いてしまう, not 死 or 消える), so a near-miss such as シミを消したい never
   matches, and cutting an idiom never hides a real crisis expression elsewhere in the same
   message: 死ぬほどつらい、もう死にたい is still a crisis.

When in doubt the list errs towards the crisis reply: sending the crisis numbers to someone who
was only tired costs little; missing someone in danger does not.

:func:`check` is the one entry point: every place where a parent types words (the LINE bot, the
site search, and any self-check or consultation added later) calls it first, before anything else,
and shows what it returns.
"""

import re
import unicodedata

from pagecache.memo import per_generation

_KATAKANA = "".join(chr(code) for code in range(ord("ァ"), ord("ヶ") + 1))
_HIRAGANA = "".join(chr(code) for code in range(ord("ぁ"), ord("ゖ") + 1))
_FOLD = str.maketrans(_KATAKANA, _HIRAGANA)
# Everything that is not a letter or a digit (spaces, punctuation, symbols, emoji).
_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text):
    """``text`` in the one form messages and expressions are compared in (see the module doc)."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_FOLD)
    return _NOISE.sub("", text)


def is_crisis(text, crisis_expressions, idioms=()):
    """Whether ``text`` contains a crisis expression once harmless idioms are cut out.

    Args:
        text: what the parent wrote.
        crisis_expressions: normalised crisis expressions.
        idioms: normalised harmless idioms, cut out first.
    """
    message = normalise(text)
    # Longest first, so that an idiom inside a longer idiom does not leave a fragment behind.
    for idiom in sorted(filter(None, idioms), key=len, reverse=True):
        message = message.replace(idiom, "／")
    return any(expression and expression in message for expression in crisis_expressions)


def _expression_rows():
    from .models import CrisisExpression

    return tuple(CrisisExpression.objects.values_list("kind", "normalised"))


def message_is_crisis(text):
    """:func:`is_crisis` with the administrators' list from the database."""
    from .models import CrisisExpression

    # Kept for the page cache's generation on a parent's page (a changed list starts a new one).
    rows = per_generation("guidance:crisis-expressions", _expression_rows)
    crisis = [value for kind, value in rows if kind == CrisisExpression.Kind.CRISIS]
    idioms = [value for kind, value in rows if kind == CrisisExpression.Kind.IDIOM]
    return is_crisis(text, crisis, idioms)


def check(text, language):
    """The crisis check every place where a parent types runs first.

    Args:
        text: what the parent wrote (never stored or logged here).
        language: the language to answer in (the follower's, or the page's).

    Returns:
        The approved crisis reply (``guidance.answering.crisis_answer``: the physician-approved text
        in ``language`` or Japanese, then every emergency and crisis number) when ``text`` suggests
        a crisis, else None.
    """
    if not text or not message_is_crisis(text):
        return None
    from .answering import crisis_answer, supported_language

    return crisis_answer(supported_language(language))

"""A checker for やさしい日本語 (easy Japanese): hints for editors, never a block.

It follows the core rules of the national guideline for easy Japanese that a machine can check:
short sentences, difficult kanji only with furigana, no double negatives, no honorific forms. Which
kanji are easy comes from the kyōiku kanji grades of the ``kanji-lists`` package; the threshold and
sentence length are settings.
"""

import dataclasses
import html
import re

from kanji_lists import KYOIKU

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n+")
# Furigana as editors write it: 病院（びょういん） or <ruby>病院<rt>びょういん</rt></ruby>.
KANA = r"[ぁ-ゖァ-ヺー・\s]+"
PARENTHESISED_READING = re.compile(rf"([一-龯々]+)[（(]{KANA}[）)]")
RUBY = re.compile(r"<ruby>(.*?)<rt>(.*?)</rt>(?:<rp>.*?</rp>)?</ruby>", re.S)
TAG = re.compile(r"<[^>]+>")
KANJI = re.compile(r"[一-龯々]")

DOUBLE_NEGATIVES = [
    re.compile(pattern)
    for pattern in [
        r"な(?:い|く)(?:わけ|訳|こと|事)(?:は|で|では|も)?(?:な|ありませ)",
        r"なくは(?:な|ありませ)",
        r"なければ(?:なら|なり|いけ|ダメ|だめ)",
        r"なくては(?:なら|なり|いけ)",
        r"ないと(?:いけ|だめ|ダメ)",
        r"ないでは(?:いられ|おかな)",
        r"ないとも限ら",
        r"なくもな",
    ]
]
HONORIFICS = [
    re.compile(pattern)
    for pattern in [
        r"いらっしゃ",
        r"おっしゃ",
        r"召し上が",
        r"ご覧",
        r"御覧",
        r"申し上げ",
        r"申します",
        r"いたします",
        r"致します",
        r"いただ",
        r"頂",
        r"拝見",
        r"伺",
        r"参ります",
        r"ございま",
        r"おります",
        r"なさ(?:い|る|っ)",
        r"[おご][^\s、。]{1,6}(?:になります|になる|ください)",
    ]
]


@dataclasses.dataclass(frozen=True)
class Hint:
    rule: str
    message: str
    excerpt: str


def easy_kanji():
    grade = settings.EASY_JAPANESE_MAX_KANJI_GRADE
    return set().union(*(getattr(KYOIKU, f"GRADE{n}") for n in range(1, grade + 1)))


def plain_text(value):
    """Text of rich-text HTML, with ruby written as 漢字（かな）."""
    value = RUBY.sub(lambda m: f"{TAG.sub('', m.group(1))}（{TAG.sub('', m.group(2))}）", value)
    value = re.sub(r"</(?:p|li|h[1-6])>|<br\s*/?>", "\n", value)
    return html.unescape(TAG.sub("", value))


def sentences(text):
    return [part.strip() for part in SENTENCE_END.split(text) if part and part.strip()]


def check_text(text):
    """Hints for one piece of plain text (furigana written in brackets after the word)."""
    hints = []
    easy = easy_kanji()
    max_length = settings.EASY_JAPANESE_MAX_SENTENCE_LENGTH
    for sentence in sentences(text):
        bare = PARENTHESISED_READING.sub(r"\1", sentence)
        if len(bare) > max_length:
            hints.append(
                Hint(
                    "long_sentence",
                    _("Long sentence (%(length)d characters; aim for %(max)d or fewer). Split it in two.")
                    % {"length": len(bare), "max": max_length},
                    sentence,
                )
            )
        without_read = PARENTHESISED_READING.sub("", sentence)
        hard = sorted({char for char in KANJI.findall(without_read) if char not in easy})
        if hard:
            hints.append(
                Hint(
                    "difficult_kanji",
                    _(
                        "Difficult kanji without furigana: %(kanji)s. Add the reading in brackets, e.g. 病院（びょういん）."  # noqa: E501
                    )
                    % {"kanji": "、".join(hard)},
                    sentence,
                )
            )
        # Spaces between phrases (分かち書き) do not hide a form.
        compact = re.sub(r"\s+", "", sentence)
        if any(pattern.search(compact) for pattern in DOUBLE_NEGATIVES):
            hints.append(
                Hint(
                    "double_negative",
                    _("Double negative. Say it positively, e.g. 「〜してください」."),
                    sentence,
                )
            )
        if any(pattern.search(compact) for pattern in HONORIFICS):
            hints.append(
                Hint(
                    "honorific",
                    _("Honorific or humble form. Use plain polite forms (です・ます)."),
                    sentence,
                )
            )
    return hints


def page_texts(page):
    """The texts of an article a family reads: title, summary, push text and the body's text."""
    texts = [getattr(page, name, "") or "" for name in ("title", "summary", "push_text")]
    body = getattr(page, "body", None)
    if body is not None:
        texts.append(plain_text(str(body.render_as_block())))
    return [text for text in texts if text]


def check_page(page):
    return [hint for text in page_texts(page) for hint in check_text(text)]

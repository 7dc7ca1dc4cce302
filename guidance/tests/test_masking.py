"""Masking a kept question: names, places, numbers in any spelling, IDs, e-mail and dates of birth go;
the words that make it a question stay."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidance.masking import digit_view, mask

# (what a parent wrote, what must not survive, the label put in its place)
PERSONAL = [
    ("山田花子です。夜泣きが続いています", ["山田", "花子"], "[name]"),
    ("上尾市本町3-1-1に住んでいます", ["上尾", "本町", "3-1-1"], "[address]"),
    ("〇九〇ー一二三四ー五六七八に電話をください", ["〇九〇", "一二三四", "五六七八"], "[phone]"),
    ("自宅は048-775-XXXXです", ["048", "775", "XXXX"], "[phone]"),
    ("775-1234にかけてください", ["775", "1234"], "[phone]"),
    ("LINEのID: hanako_88 に連絡ください", ["hanako", "88"], "[id]"),
    ("ラインIDはhanako88です", ["hanako88"], "[id]"),
    ("hanako アットマーク example.com に返事をください", ["hanako", "example"], "[email]"),
    ("hanako(at)example.com まで", ["hanako", "example"], "[email]"),
    ("娘は2024年5月3日生まれです", ["2024", "5月3日"], "[date]"),
    ("令和6年5月3日に生まれました", ["令和6年", "5月3日"], "[date]"),
    ("マイナンバーは一二三四 五六七八 九〇一二です", ["一二三四", "五六七八", "九〇一二"], "[number]"),
    ("０９０－１２３４－５６７８に電話して", ["０９０", "090", "1234", "5678"], "[phone]"),
    ("息子の太郎が熱を出しました", ["太郎"], "[name]"),
    ("さくらちゃんが離乳食を食べません", ["さくら"], "[name]"),
    ("名前はゆいです", ["ゆい"], "[name]"),
    ("hanako@example.jp にメールください", ["hanako", "example"], "[email]"),
    ("5月3日生まれの子です", ["5月3日"], "[date]"),
    ("電話 090 1234 5678", ["090", "1234", "5678"], "[phone]"),
    ("the code is 4821 more or less", ["4821"], "[number]"),  # not 4821 m(etres)
    # The bot answers in eight languages; a name is said differently in each.
    ("My name is Hanako Yamada and my baby has a fever", ["Hanako", "Yamada"], "[name]"),
    ("Tên tôi là Nguyen Thi Lan, con tôi bị sốt", ["Nguyen", "Lan"], "[name]"),
    ("我叫王芳,孩子发烧了", ["王芳"], "[name]"),
    ("제 이름은 김민지입니다", ["김민지"], "[name]"),
    ("Meu nome é Ana Souza", ["Ana", "Souza"], "[name]"),
    ("Ako si Maria Santos", ["Maria", "Santos"], "[name]"),
]

# Ordinary questions: nothing in them identifies anyone, so they are kept as written.
ORDINARY = [
    "熱が38度あります",
    "熱が38.5度で、生後3か月です",
    "生後3-4か月の健診はいつですか",
    "1年2か月の息子が歩きません",
    "体重2500gで生まれました",
    "百日咳の予防接種はいつ?",
    "保健師さんに相談したい",
    "お医者さんに行くべきか迷っています",
    "夜中に#8000に電話しました",
    "2人目の子が生まれます",
    "一緒に寝てもいいですか",
]


@pytest.mark.parametrize(("text", "hidden", "label"), PERSONAL)
def test_personal_details_are_masked(text, hidden, label):
    masked = mask(text)
    for part in hidden:
        assert part not in masked, masked
    assert label in masked, masked


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_questions_keep_their_meaning(text):
    assert mask(text) == text


def test_the_question_around_a_masked_detail_is_kept():
    assert mask("山田花子です。上尾市本町3-1-1に住んでいます") == "[name]です。[address]に住んでいます"
    assert mask("熱が38度あります。〇九〇ー一二三四ー五六七八に電話ください") == (
        "熱が38度あります。[phone]に電話ください"
    )


def test_kanji_numerals_are_read_as_digits():
    assert digit_view("〇九〇ー一二三四")[0] == "090ー1234"
    assert digit_view("三十一日")[0] == "31日"
    assert digit_view("千葉")[0] == "千葉"  # a lone 千 or 百 is a word, not a number


_KANJI = "〇一二三四五六七八九"
_FULL = "０１２３４５６７８９"
_SEPARATORS = ["", "", "", "ー", "－", "―", "‐", "-", "・", ".", " ", "　"]
_AROUND = ["", "電話は", "番号：", "こちらに", "です", "に電話ください", "。よろしく", "hello "]


@st.composite
def written_numbers(draw):
    """A run of 7 to 13 digits as a parent might type it: ASCII, full-width or kanji digits, with
    or without separators between them, inside a sentence."""
    digits = draw(st.lists(st.integers(0, 9), min_size=7, max_size=13))
    style = draw(st.sampled_from(["ascii", "full", "kanji", "mixed"]))
    written = ""
    for index, digit in enumerate(digits):
        chosen = style if style != "mixed" else draw(st.sampled_from(["ascii", "full", "kanji"]))
        written += {"ascii": str(digit), "full": _FULL[digit], "kanji": _KANJI[digit]}[chosen]
        if index < len(digits) - 1:
            written += draw(st.sampled_from(_SEPARATORS))
    return draw(st.sampled_from(_AROUND)) + written + draw(st.sampled_from(_AROUND))


@settings(max_examples=200, deadline=None)
@given(written_numbers())
def test_no_run_of_seven_digits_survives_masking(text):
    view, _origin = digit_view(mask(text))
    digits_only = re.sub(r"[\s\-‐―ー・.]", "", view)
    assert not re.search(r"\d{7,}", digits_only), (text, mask(text))

"""The bot's matching on the hub's analysis, and masking of what is kept."""

import pytest

from guidance import text
from guidance.backends.offline import ANSWER_THRESHOLD
from guidance.masking import mask

SAME_QUESTION = [
    ("授乳について相談できるところはどこですか？", "授乳の相談はどこでできますか"),
    ("予防接種はどこで予約するの", "予防接種はどこで予約する"),
    ("夜に相談できるところはありますか", "夜に相談できるところ"),
    ("母子手帳をなくしました", "母子手帳はどこでもらえる"),
    ("Where can I talk at night?", "where can i talk at night"),
]
DIFFERENT_QUESTION = [
    ("離乳食について", "予防接種はどこで予約する"),
    ("こんにちは", "夜に相談できるところ"),
    ("熱が出たときはどこに相談すればいい", "授乳の相談はどこでできますか"),
    ("夜泣きがひどくて眠れない", "夜に相談できるところ"),
]


@pytest.mark.parametrize(("message", "phrasing"), SAME_QUESTION)
def test_another_way_of_asking_matches(message, phrasing):
    assert text.similarity(text.analyse(message), text.analyse(phrasing)) >= ANSWER_THRESHOLD


@pytest.mark.parametrize(("message", "phrasing"), DIFFERENT_QUESTION)
def test_a_different_question_does_not(message, phrasing):
    assert text.similarity(text.analyse(message), text.analyse(phrasing)) < ANSWER_THRESHOLD


def test_full_and_half_width_are_the_same_to_the_analyser():
    assert text.analyse("ﾐﾙｸの量") == text.analyse("ミルクの量")


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("電話は090-1234-5678です", "電話は[phone]です"),
        ("０９０１２３４５６７８に折り返して", "[phone]に折り返して"),
        ("+81 90 1234 5678", "[phone]"),
        ("mail: sample.parent+1@example.jp", "mail: [email]"),
        ("受診券番号 12345 を忘れた", "受診券番号 [number] を忘れた"),
        ("https://example.jp/?name=sample を見た", "[url] を見た"),
        ("3か月の子が38度の熱", "3か月の子が38度の熱"),
    ],
)
def test_masking(written, kept):
    assert mask(written) == kept

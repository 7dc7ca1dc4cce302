"""Emergency and crisis numbers in any text become tel: links (the dial_links filter), safely."""

import pytest

from django.template import Context, Template
from django.utils.safestring import mark_safe

from guidance.emergency import dialable_numbers, emergency_lines, link_numbers


def render(text):
    return Template("{% load emergency_numbers %}{{ text|dial_links }}").render(Context({"text": text}))


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("救急は119番へ", '<a class="tel-link" href="tel:119">119</a>番へ'),
        ("夜間は#8000に相談", '<a class="tel-link" href="tel:%238000">#8000</a>に相談'),
        ("＃８０００（全角）", '<a class="tel-link" href="tel:%238000">＃８０００</a>'),
        ("よりそいホットライン 0120-279-338", '<a class="tel-link" href="tel:0120279338">0120-279-338</a>'),
        (
            "０５７０ー７８３ー５５６",
            '<a class="tel-link" href="tel:0570783556">０５７０ー７８３ー５５６</a>',
        ),
        ("児童相談所 189", '<a class="tel-link" href="tel:189">189</a>'),
        ("警察は110番", '<a class="tel-link" href="tel:110">110</a>番'),
        ("call 119 or 110 at once", 'call <a class="tel-link" href="tel:119">119</a> or <a class="tel-link"'),
    ],
)
def test_emergency_numbers_in_text_become_tel_links(text, link):
    assert link in render(text)


@pytest.mark.parametrize(
    "text", ["身長110cm、体重1190g", "110 cm tall", "01190 2119 119.5 1189", "熱が38度", "189円"]
)
def test_other_numbers_are_left_alone(text):
    assert "tel:" not in render(text)


def test_text_is_escaped_around_the_links():
    html = render('<script>alert("119")</script> & 119')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.endswith('&amp; <a class="tel-link" href="tel:119">119</a>')


def test_safe_html_keeps_its_markup_and_existing_links():
    html = link_numbers(mark_safe('<p>call <a href="tel:119">119</a> or 119</p><img alt="119">'))
    added = '<a class="tel-link" href="tel:119">119</a>'
    assert html == f'<p>call <a href="tel:119">119</a> or {added}</p><img alt="119">'


def test_every_number_on_the_get_help_page_is_dialable():
    numbers = dialable_numbers()
    for line in emergency_lines():
        assert f'href="tel:{line.dial}"' in link_numbers(f"【サンプル】{line.number}")
        assert line.dial in numbers.values()

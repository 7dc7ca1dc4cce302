"""``{{ text|dial_links }}``: emergency and crisis numbers in any text as tappable ``tel:`` links.

The one place public templates turn 119, #8000 and the crisis lines into links (the doctor boxes of
articles, the footer, the crisis reply); the numbers come from ``guidance.emergency``.
"""

from django import template

from guidance.emergency import link_numbers

register = template.Library()


@register.filter
def dial_links(text):
    """``text``, escaped, with each emergency number in it a ``tel:`` link."""
    return link_numbers(text)

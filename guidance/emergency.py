"""The national emergency and crisis numbers shown first on the get-help page and in the crisis reply.

Real, nationwide numbers (not samples): they are the same for every city and are not edited in the
admin, so that no mistake in a form can hide them.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EmergencyLine:
    number: str
    dial: str  # what a tel: link dials
    name: str
    when: str
    hours: str


def emergency_lines():
    """Emergency first, then the children's line, then the crisis lines, in that order."""
    return [
        EmergencyLine(
            "119",
            "119",
            _("Ambulance"),
            _("Someone is badly hurt or seriously ill, is not breathing or cannot be woken."),
            _("24 hours"),
        ),
        EmergencyLine(
            "#8000",
            "%238000",
            _("Children's emergency telephone consultation"),
            _(
                "Your child is suddenly ill at night or on a holiday and you are unsure whether to go "
                "to hospital."
            ),
            _("Evenings, nights and holidays (hours depend on the prefecture)"),
        ),
        EmergencyLine(
            "0120-279-338",
            "0120279338",
            _("Yorisoi Hotline"),
            _("You feel you cannot go on, or you are suffering violence at home. Free of charge."),
            _("24 hours"),
        ),
        EmergencyLine(
            "0570-783-556",
            "0570783556",
            _("Inochi no Denwa (lifeline)"),
            _("You feel you want to die or disappear and need someone to talk to."),
            _("10:00 to 22:00"),
        ),
        EmergencyLine(
            "189",
            "189",
            _("Child guidance centre line"),
            _("A child may be in danger, or you fear you might hurt your child."),
            _("24 hours"),
        ),
    ]


def emergency_text():
    """The numbers as plain text lines, for the LINE crisis reply's fallback and footer."""
    return "\n".join(f"{line.name}: {line.number} ({line.hours})" for line in emergency_lines())


# The police: not a line of its own on the get-help page, but named in the crisis reply.
_ALSO_DIALABLE = {"110": "110"}
_DIGIT = "0-9０-９"
# A number as text writes it: #8000 or ＃８０００, 0120-279-338 or ０１２０ー２７９ー３３８, 119番.
# Not part of a longer number or a decimal, not an HTML entity (&#39;), and not a measurement
# (110cm, 119g): those are left as they are.
_NUMBER_IN_TEXT = re.compile(
    rf"(?<![{_DIGIT}.,．，&#＃\-－])[#＃♯]?[{_DIGIT}](?:[{_DIGIT}]|[-－‐―ー−](?=[{_DIGIT}]))*"
    rf"(?![{_DIGIT}]|[.,．，][{_DIGIT}]|[A-Za-zＡ-Ｚａ-ｚ%％℃]|\s*(?:cm|mm|kg|mg|ml|km|g|m)(?![A-Za-z])"
    r"|\s*(?:度|円|歳|才|日|回|人|分|秒|時|件|個|本|枚|年|月|週|キロ|グラム|センチ|ミリ))"
)
_LINK_OR_TAG = re.compile(r"(<a\b.*?</a\s*>|<[^>]*>)", re.IGNORECASE | re.DOTALL)


def dialable_numbers():
    """``{number as written, without separators: what its tel: link dials}`` for every emergency
    and crisis number above (and the police), e.g. ``{"#8000": "%238000", "0120279338": ...}``."""
    numbers = {re.sub(r"[^0-9#]", "", line.number): line.dial for line in emergency_lines()}
    return numbers | _ALSO_DIALABLE


def _link_in_escaped(html, numbers):
    def link(match):
        written = match.group()
        dial = numbers.get(re.sub(r"[^0-9#]", "", unicodedata.normalize("NFKC", written).replace("♯", "#")))
        return f'<a class="tel-link" href="tel:{dial}">{written}</a>' if dial else written

    return _NUMBER_IN_TEXT.sub(link, html)


def link_numbers(text):
    """``text`` as HTML in which every emergency or crisis number is a ``tel:`` link.

    Plain text is escaped first. HTML already marked safe (rich text) keeps its markup, and a number
    inside a tag or an existing link is left alone.
    """
    numbers = dialable_numbers()
    if isinstance(text, SafeData):
        parts = _LINK_OR_TAG.split(str(text))
        return mark_safe(  # noqa: S308 - only escaped text between tags is changed, by digits and <a>
            "".join(
                part if index % 2 else _link_in_escaped(part, numbers) for index, part in enumerate(parts)
            )
        )
    return mark_safe(_link_in_escaped(escape(str(text or "")), numbers))  # noqa: S308 - escaped above

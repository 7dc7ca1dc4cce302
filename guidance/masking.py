"""Masking what a parent wrote before an unanswered question is kept for editors."""

import re
import unicodedata

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number: 10 or more digits, possibly split by hyphens, spaces, dots or brackets.
_PHONE = re.compile(r"\+?\d(?:[\s\-.()]*\d){9,}")
# Any other run of 4 or more digits (a postcode, a card or record number, a date of birth).
_DIGITS = re.compile(r"\d{4,}")
# A URL can carry a name or a token.
_URL = re.compile(r"https?://\S+")


def mask(text):
    """``text`` with e-mail addresses, URLs, phone numbers and digit runs of four or more masked.

    Full-width digits and letters are normalised (NFKC) first, so ０９０ is masked as 090 is.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _EMAIL.sub("[email]", text)
    text = _URL.sub("[url]", text)
    text = _PHONE.sub("[phone]", text)
    return _DIGITS.sub("[number]", text)

"""Factories for the self-check: an instrument in a language, from the sample words."""

from wagtail.models import Locale

from . import content
from .models import Instrument


def instrument(language="ja", **overrides):
    """An unsaved-revision instrument row in ``language`` (not live until reviewed and approved)."""
    words = content.JA if language == "ja" else content.EN
    locale = Locale.objects.get_or_create(language_code=language)[0]
    return Instrument.objects.create(locale=locale, live=False, **{**content.fields(words), **overrides})

"""The language switcher and hreflang alternates: every language keeps the reader on the same page
where a live translation of it exists, and otherwise takes them to that language's home page."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from wagtail.models import Locale, Page

register = template.Library()


def _home_url(request, code):
    """The live home page in ``code``'s locale, or the language's URL prefix."""
    site_root = Page.objects.filter(depth=2, locale__language_code=settings.LANGUAGE_CODE).first()
    if site_root is not None:
        home = site_root.get_translations().live().filter(locale__language_code=code).first()
        if home is not None:
            return home.get_url(request)
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per configured language: ``{code, name, url, current, same_page}``.

    ``same_page`` is true where the link leads to a live translation of this page (those are the
    page's hreflang alternates).
    """
    request = context.get("request")
    page = context.get("page")
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    translations = {}
    if isinstance(page, Page):
        for translated in (
            Page.objects.filter(translation_key=page.translation_key).live().select_related("locale")
        ):
            translations[translated.locale.language_code] = translated
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            url, same_page = translations[code].get_url(request), True
        elif page is None and request is not None:
            url, same_page = translate_url(request.get_full_path(), code), True
        else:
            url, same_page = _home_url(request, code), False
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
                "same_page": same_page,
                "bidi": get_language_info(code)["bidi"],
            }
        )
    return links


@register.simple_tag
def default_locale_code():
    return Locale.get_default().language_code

"""The language switcher and hreflang alternates: every language keeps the reader on the same page.

Where a live translation of the page exists, a language's link leads to it. Where none does, it
leads to the page in the best language along that language's fallback chain
(``LANGUAGE_FALLBACKS``), marked ``?missing=<code>`` so the page says, in the language asked for,
that it is not yet in it and where else it exists. Only a page in no language of the chain (or a
view that is not a page) sends the reader to that language's home page.
"""

import functools

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.http import urlencode
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from wagtail.models import Locale, Page

register = template.Library()


MISSING_PARAMETER = "missing"


def _live_translations(page):
    """``{language code: live page}`` for every live translation of ``page`` (itself included)."""
    if not isinstance(page, Page):
        return {}
    return {
        translated.locale.language_code: translated
        for translated in Page.objects.filter(translation_key=page.translation_key)
        .live()
        .select_related("locale")
    }


@functools.lru_cache(maxsize=2048)
def _translated_path(path, code):
    """``path`` (a view's, no query) in ``code``'s URL prefix; the URLconf does not change while the
    process runs, so each answer is kept."""
    return translate_url(path, code)


def _translated_view_url(request, code):
    """``translate_url`` of the request's full path, the query string kept as it is."""
    query = request.META.get("QUERY_STRING", "")
    path = _translated_path(escape_uri_path(request.path), code)
    return f"{path}?{iri_to_uri(query)}" if query else path


def _fallback_for(code, translations):
    """The first language along ``code``'s fallback chain (Japanese last) with a live translation."""
    chain = [*settings.LANGUAGE_FALLBACKS.get(code, []), settings.LANGUAGE_CODE]
    return next((fallback for fallback in chain if fallback in translations), None)


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
    page's hreflang alternates); a link to the same page in a fallback language is not.
    """
    request = context.get("request")
    page = context.get("page")
    # The head's alternates and the switcher ask for the same links: built once per request.
    built = getattr(request, "_language_links", None) if request is not None else None
    key = getattr(page, "pk", None)
    if built is not None and key in built:
        return built[key]
    links = _build_links(request, page)
    if request is not None:
        request.__dict__.setdefault("_language_links", {})[key] = links
    return links


def _build_links(request, page):
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    translations = _live_translations(page)
    links = []
    for code, name in settings.LANGUAGES:
        fallback = None if code in translations else _fallback_for(code, translations)
        if code in translations:
            url, same_page = translations[code].get_url(request), True
        elif fallback is not None:
            url = translations[fallback].get_url(request)
            url, same_page = f"{url}?{urlencode({MISSING_PARAMETER: code})}", False
        elif page is None and request is not None:
            url, same_page = _translated_view_url(request, code), True
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


@register.simple_tag(takes_context=True)
def missing_language_notice(context):
    """What to tell a reader who asked for this page in a language it is not yet in, written in
    that language: ``{code, text, others: [{code, name, url}]}``, or None.

    Nothing when the parameter names no configured language, or the page exists in it after all
    (a translation published since the link was made).
    """
    request = context.get("request")
    page = context.get("page")
    code = request.GET.get(MISSING_PARAMETER, "") if request is not None else ""
    names = dict(settings.LANGUAGES)
    translations = _live_translations(page)
    if code not in names or not translations or code in translations:
        return None
    shown = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    with translation.override(code):
        text = _("This page is not yet available in %(language)s. It is shown in %(shown)s.") % {
            "language": names[code],
            "shown": names.get(shown, shown),
        }
        others_label = _("Also available in:")
    others = [
        {"code": other, "name": names[other], "url": translations[other].get_url(request)}
        for other, _name in settings.LANGUAGES
        if other in translations and other != shown
    ]
    return {"code": code, "text": text, "others_label": others_label, "others": others}

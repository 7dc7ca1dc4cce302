"""Where a band sends a family, in their language: the service (how to reach it now, or when it
next opens) or two or three articles that may reach a parent (:mod:`articles.clinical`)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from articles.clinical import skip_reason_for
from articles.translations import fallback_chain
from guidance.models import ConsultationService

from .models import Route

MAX_ARTICLES = 3


def service_in(service, language):
    """``service`` in ``language`` where translated, else the service itself."""
    if service is None or service.locale.language_code == language:
        return service
    return (
        ConsultationService.objects.filter(
            translation_key=service.translation_key, locale__language_code=language
        ).first()
        or service
    )


def status_text(service, language, at=None):
    """Open now (24 hours, or until when), or closed and when it next opens (Asia/Tokyo), in the
    get-help page's words."""
    status = service.status(at)
    with override(language):
        if status.is_open and status.all_hours:
            return _("Open now · 24 hours")
        if status.is_open:
            return _("Open now · until %(time)s") % {
                "time": formats.date_format(timezone.localtime(status.open_until), "H:i")
            }
        if status.next_opens:
            return _("Closed now · opens %(time)s") % {
                "time": formats.date_format(timezone.localtime(status.next_opens), "n/j (D) H:i")
            }
        return _("Closed now")


def service_lines(service, language, at=None):
    """The lines naming ``service`` and how to reach it now."""
    service = service_in(service, language)
    lines = [service.name, status_text(service, language, at)]
    with override(language):
        if service.phone:
            lines.append(_("Call %(phone)s") % {"phone": service.phone})
    return service, lines


def articles_for(band, language):
    """Up to three of the band's articles that may reach a parent now, each in the first language
    of the family's chain that has one that may."""
    from wagtail.models import Page

    chain = fallback_chain(language)
    found = []
    for page in band.articles():
        candidates = {
            candidate.locale.language_code: candidate
            for candidate in Page.objects.filter(
                translation_key=page.translation_key, locale__language_code__in=chain
            )
            .select_related("locale")
            .specific()
        }
        for code in chain:
            candidate = candidates.get(code)
            if candidate is not None and not skip_reason_for(candidate):
                found.append(candidate)
                break
    return found[:MAX_ARTICLES]


def route_of(band, language):
    """``(service or None, [articles])`` for ``band``: the service for counselling and consultation
    (the articles too, when a service is missing), the articles for reading."""
    if band.route in (Route.COUNSELLING, Route.CONSULTATION) and band.service_id:
        return service_in(band.service, language), []
    return None, articles_for(band, language)

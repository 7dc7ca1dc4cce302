"""When the services' "open now / next opens" state changes by itself, for the page cache.

The get-help page and the article ``service`` block show each service's state as of the request;
a cached copy must not outlive the next time a service opens or closes. Listed in the setting
``PAGECACHE_MOMENT_PROVIDERS``, so guidance never imports the page cache.
"""

from django.conf import settings

from . import hours
from .models import ConsultationService


def opening_moments(now):
    """For every service (translations share their source's hours), its next open/close change,
    national holidays and the year-end closure included."""
    sources = ConsultationService.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    return [
        hours.next_change(service.schedule(), now)
        for service in sources.select_related("locale").prefetch_related("hours")
    ]

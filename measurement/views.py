"""The public short redirect ``/r/<token>/``: counts a click, keeps nothing about who, never breaks."""

import logging

from django.http import HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from .links import allowed_target
from .models import LinkClick, TrackedLink

logger = logging.getLogger(__name__)


@require_safe
def follow(request, token):
    """Send the parent on to the link's target; an unknown token goes to the home page.

    Only a GET counts (a link preview's HEAD does not); the row holds the link and the moment. A
    target no longer allowed (a host removed from ``MEASUREMENT_LINK_HOSTS``) goes home too: the
    redirect is never an open one.
    """
    link = TrackedLink.objects.filter(token=token[:16]).only("pk", "target").first()
    target = link.target if link is not None and allowed_target(link.target) else "/"
    if link is not None and request.method == "GET":
        try:
            LinkClick.objects.create(link_id=link.pk)
        except Exception:  # a busy database never costs the parent the page
            logger.warning("Click not counted for link %s", link.pk, exc_info=True)
    response = HttpResponseRedirect(target)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response

"""When cached pages stop being true, and how to say so.

Every cached response is stored under a *generation* token. Clearing the page cache replaces the
token, so every page cached before is never served again and simply expires; nothing is deleted
key by key and other data sharing the cache (the broker's Redis, rate limits) is left alone. The
whole site's pages go at once because a change to one article shows on the home page, its listing,
its topics' pages, the campaign that features it and in search results; publishing happens a few
times a day, so precision per URL would buy little and risk a forgotten dependency.

Two kinds of change clear the cache:

* an edit: publishing, unpublishing, moving or deleting a page, and saving or deleting any model
  registered with :func:`invalidate_on_change` or listed in ``PAGECACHE_INVALIDATING_MODELS``;
  cleared when the transaction commits, so no request can re-cache the old content in between;
* the clock: a moment at which a page shows something else without anyone editing it (a campaign
  starting or ending, a review falling overdue, a service opening or closing). Moment providers
  (``PAGECACHE_MOMENT_PROVIDERS`` or :func:`register_moments`) name the next such moments; the
  generation carries the earliest one, and the first request after it starts a new generation.
  No beat task is needed, and no cached page outlives the moment it changes.

For another app (for example a guidance app with service snippets)::

    # guidance/apps.py, in ready()
    from pagecache.invalidation import invalidate_on_change, register_moments
    invalidate_on_change(ConsultationService)     # save/delete clears cached pages
    register_moments(service_opening_moments)     # f(now) -> iterable of aware datetimes

or list them in settings: ``PAGECACHE_INVALIDATING_MODELS = [..., "guidance.ConsultationService"]``,
``PAGECACHE_MOMENT_PROVIDERS = [..., "guidance.moments.opening_moments"]``.
"""

import datetime
import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
MOMENT_KEY = "pagecache:next-moment"  # (generation, timestamp or "none")
_NO_MOMENT = "none"
_moment_providers = []
_watched_models = set()


def cache():
    return caches[settings.PAGECACHE_ALIAS]


def clear_pages(reason=""):
    """Stop serving every cached page now (outside a transaction) or when the transaction commits."""
    transaction.on_commit(lambda: _new_generation(reason))


def _new_generation(reason=""):
    generation = uuid.uuid4().hex
    cache().set(GENERATION_KEY, generation, None)
    logger.info("Page cache cleared (%s)", reason or "unspecified")
    return generation


def current_generation(now=None):
    """The generation token cached pages are keyed by, renewed once its next moment has passed.

    One round trip in the usual case: the token and the remembered next moment are read together.
    The moment is remembered with the generation it was computed for, so a moment computed for an
    older generation (by a request racing a clear) is recomputed, never trusted.
    """
    store = cache()
    found = store.get_many([GENERATION_KEY, MOMENT_KEY])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = _new_generation("first use")
    remembered = found.get(MOMENT_KEY)
    if isinstance(remembered, (tuple, list)) and len(remembered) == 2 and remembered[0] == generation:
        moment = remembered[1]
    else:
        upcoming = next_moment(now)
        moment = upcoming.timestamp() if upcoming else _NO_MOMENT
        store.set(MOMENT_KEY, (generation, moment), settings.PAGECACHE_TIMEOUT * 2)
    now = now or timezone.now()
    if moment != _NO_MOMENT and now.timestamp() >= moment:
        generation = _new_generation("a scheduled moment passed")
        return current_generation(now)
    return generation, (None if moment == _NO_MOMENT else moment)


def invalidate_on_change(model):
    """Clear cached pages whenever an instance of ``model`` is saved or deleted."""
    if model in _watched_models:
        return
    _watched_models.add(model)
    post_save.connect(_model_changed, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}")
    post_delete.connect(_model_changed, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}")


def _model_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        clear_pages(f"{sender._meta.label} {instance.pk} changed")


def register_moments(provider):
    """Register ``provider(now) -> iterable of aware datetimes`` at which pages change by themselves."""
    if provider not in _moment_providers:
        _moment_providers.append(provider)


def moment_providers():
    return [import_string(path) for path in settings.PAGECACHE_MOMENT_PROVIDERS] + _moment_providers


def next_moment(now=None):
    """The earliest future moment any provider names, or None."""
    now = now or timezone.now()
    upcoming = [
        moment for provider in moment_providers() for moment in provider(now) if moment and moment > now
    ]
    return min(upcoming, default=None)


def start_of_day(day):
    """Midnight (Asia/Tokyo) at the start of ``day``, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def watch_configured_models():
    for label in settings.PAGECACHE_INVALIDATING_MODELS:
        invalidate_on_change(apps.get_model(label))

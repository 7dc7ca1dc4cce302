"""What a page is built from, kept per process for as long as the page cache's generation lasts.

Every change that clears the page cache (publishing, and saving any model in
``PAGECACHE_INVALIDATING_MODELS``: the site, its settings, the crisis list...) starts a new
generation, so a value derived from those rows and kept under the generation it was read in is
never used once they change: the next request reads the new generation and builds it again.

The generation is the one the fetch middleware read for the request being served (no extra cache
round trip). Where it read none (a request with a session, the admin, a Celery task, the bot), the
value is built afresh each time: editors and parents in a conversation never see a kept value.

Every kept value is also rebuilt after ``PAGECACHE_MEMO_SECONDS`` (60 by default, the search
page's own time in the page cache), so a change made without those signals (a queryset
``update()``, a fix in the shell) shows within that time, as it did when every miss read the rows.

A request that misses the page cache also gets its Wagtail site and site settings from here
(:func:`seed_site`), instead of two queries on every page built.
"""

import copy
import threading
import time

from django.conf import settings

_state = threading.local()
_values = {}
_state_seen = {}  # the generation the kept values belong to
_LIMIT = 2048  # kept values; past it the memory starts again


def begin(generation=None):
    """Serve the current request under ``generation`` (None: keep nothing for it)."""
    _state.generation = generation


def current():
    return getattr(_state, "generation", None)


def _fresh(entry):
    return entry is not None and time.time() - entry[0] < settings.PAGECACHE_MEMO_SECONDS


def _start(generation):
    """The first value of a new generation: the previous generations' values go."""
    if _state_seen.get("generation") != generation:
        _values.clear()
        _state_seen["generation"] = generation
    elif len(_values) >= _LIMIT:
        _values.clear()


def per_generation(key, build):
    """``build()``, kept under ``key`` for the current request's generation (see the module doc),
    and never longer than ``PAGECACHE_MEMO_SECONDS``: a change made without the signals that start
    a generation (a queryset update, a fix in the shell) still shows within that time.

    The value is shared by the requests of one process: treat it as read-only.
    """
    found = get_many([key])
    if key in found:
        return found[key]
    value = build()
    keep(key, value)
    return value


def seed_site(request):
    """Give ``request`` its Wagtail site and site settings from the generation's memory, as
    ``Site.find_for_request`` and ``BaseSiteSetting.for_request`` would find them (each request gets
    its own copies, since Wagtail keeps per-request state on them)."""
    invalidating = set(settings.PAGECACHE_INVALIDATING_MODELS)
    if current() is None or hasattr(request, "_wagtail_site") or "wagtailcore.Site" not in invalidating:
        return
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.contrib.settings.registry import registry
    from wagtail.models import Site

    host = request._get_raw_host()
    port = request.get_port()
    site = per_generation(("site", host, port), lambda: Site._find_for_request(request))
    request._wagtail_site = copy.copy(site)
    if site is None:
        return
    for model in registry:
        # Only settings whose change clears the page cache may be kept for a generation.
        if issubclass(model, BaseSiteSetting) and model._meta.label in invalidating:
            found = per_generation((model._meta.label, site.pk), lambda model=model: model.for_site(site))
            instance = copy.copy(found)
            instance._request = request
            setattr(request, model.get_cache_attr_name(), instance)


def public(queryset):
    """``queryset.public()`` (Wagtail's: no page in a private section), the private sections read
    once per generation (a view restriction saved or deleted, or a page moved, starts a new one)."""
    if "wagtailcore.PageViewRestriction" not in settings.PAGECACHE_INVALIDATING_MODELS:
        return queryset.public()
    return queryset.exclude(per_generation("wagtailcore.PageViewRestriction", queryset.private_q))


def get_many(keys):
    """``{key: value}`` for the keys kept, and still fresh, for the current generation (none
    without one)."""
    generation = current()
    if generation is None:
        return {}
    found = {}
    for key in keys:
        entry = _values.get((key, generation))
        if _fresh(entry):
            found[key] = entry[1]
    return found


def keep(key, value):
    """Keep ``value`` under ``key`` for the current generation (nothing without one)."""
    generation = current()
    if generation is None:
        return
    _start(generation)
    _values[(key, generation)] = (time.time(), value)

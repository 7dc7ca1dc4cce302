"""Django's two-part cache middleware, keyed by the page cache's generation and kept anonymous.

Django's ``UpdateCacheMiddleware``/``FetchFromCacheMiddleware`` do the caching (cache keys learnt
from ``Vary``, ``HEAD`` from ``GET``, ``Expires``/``Age``); these subclasses add what a CMS with
editors needs:

* it answers early (after the security headers' middleware, before sessions, CSRF and
  authentication), reading the request's language as ``LocaleMiddleware`` would;
* a request carrying a session cookie (an editor, a preview) never reads or fills the cache, and
  its response is marked ``private``;
* a response that sets a cookie, used a CSRF token, is a preview or says ``private``/``no-store``
  is never stored;
* paths in ``PAGECACHE_EXCLUDED_PATHS`` (the admin, the app API, the webhook, documents) are
  never cached; those in ``PAGECACHE_NEVER_CACHED_PATHS`` also tell clients not to store them;
* search and the content API (``PAGECACHE_SHORT_PATHS``) are kept ``PAGECACHE_SHORT_TIMEOUT``
  seconds, other pages ``PAGECACHE_TIMEOUT``, and nothing outlives the next scheduled moment;
* browsers may keep a page ``PAGECACHE_BROWSER_MAX_AGE`` seconds at most, so an invalidation
  reaches a parent's phone quickly even when the server cache holds the page longer.
"""

import pickle
import threading
import time

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import caches
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

from . import memo
from .invalidation import current_generation

_request_state = threading.local()


class _PerRequestKey:
    """Django's middleware reads ``key_prefix`` and ``page_timeout`` from the instance; here they
    belong to the request being served, so threads serving at once never mix generations."""

    key_prefix = property(lambda self: _request_state.prefix, lambda self, value: None)
    page_timeout = property(lambda self: _request_state.timeout, lambda self, value: None)


def _starts_with(path, prefixes):
    return any(path.startswith(prefix) for prefix in prefixes)


def _bypass(request):
    if not settings.PAGECACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    return _starts_with(request.path_info, settings.PAGECACHE_EXCLUDED_PATHS)


def _key_prefix(request):
    generation, moment = current_generation()
    timeout = (
        settings.PAGECACHE_SHORT_TIMEOUT
        if _starts_with(request.path_info, settings.PAGECACHE_SHORT_PATHS)
        else settings.PAGECACHE_TIMEOUT
    )
    if moment is not None:
        timeout = max(1, min(timeout, int(moment - time.time())))
    request._pagecache = {"prefix": f"pages.{generation}", "timeout": timeout}


def _for_browsers(response, timeout):
    """Let browsers keep a page briefly, whatever the server cache does."""
    patch_cache_control(response, max_age=max(0, min(settings.PAGECACHE_BROWSER_MAX_AGE, timeout)))
    response.headers.pop("Expires", None)
    return response


def _request_language(request):
    """The language ``LocaleMiddleware`` will choose for ``request`` (its own rule), which the cache
    key carries: the fetch runs before it, so that a hit skips everything below."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
    if (
        not translation.get_language_from_path(request.path_info)
        and i18n_patterns_used
        and not prefixed_default_language
    ):
        language = settings.LANGUAGE_CODE
    return language


class _NearCache:
    """The page cache, read through a small memory of this process's own.

    A hit reads the generation from the shared cache (one round trip, every request: a change
    anywhere is seen at once) and then the page's key list and the page itself from here when this
    process read them in the last ``PAGECACHE_NEAR_SECONDS`` seconds (two round trips saved). Keys
    carry the generation, so a kept entry is never read once its generation has gone; entries are
    kept as pickled bytes, so each request gets its own response object to add its headers to.
    Only reads pass through here; writes go to the shared cache.
    """

    _entries = {}
    _LIMIT = 512

    def __init__(self, shared):
        self.shared = shared

    def get(self, key, default=None):
        seconds = settings.PAGECACHE_NEAR_SECONDS
        now = time.monotonic()
        kept = self._entries.get(key) if seconds else None
        if kept is not None and kept[0] > now:
            return pickle.loads(kept[1])  # noqa: S301 (bytes this process pickled itself)
        value = self.shared.get(key, default)
        if seconds and value is not default and value is not None:
            if len(self._entries) >= self._LIMIT:
                self._entries.clear()
            self._entries[key] = (now + seconds, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        return value

    def __getattr__(self, name):
        return getattr(self.shared, name)


class PageCacheFetchMiddleware(_PerRequestKey, FetchFromCacheMiddleware):
    """Answers an anonymous GET from the cache when it can, early in the middleware: a hit pays for
    the security headers only, not for the session, CSRF, authentication and lockout machinery."""

    @property
    def cache(self):
        return _NearCache(caches[self.cache_alias])

    def process_request(self, request):
        memo.begin(None)
        if _bypass(request):
            request._cache_update_cache = False
            return None
        # Django's cache key carries the request's language (``request.LANGUAGE_CODE``), which
        # LocaleMiddleware sets only further in; it sets the same value again there.
        request.LANGUAGE_CODE = _request_language(request)
        _key_prefix(request)
        _request_state.prefix = request._pagecache["prefix"]
        _request_state.timeout = request._pagecache["timeout"]
        response = super().process_request(request)
        if response is not None:
            _for_browsers(response, request._pagecache["timeout"])
            return response
        # A miss: the page is built from what this generation has already read (pagecache.memo).
        memo.begin(request._pagecache["prefix"])
        memo.seed_site(request)
        return None


class PageCacheUpdateMiddleware(_PerRequestKey, UpdateCacheMiddleware):
    """The first middleware: stores what the fetch middleware could not answer, if it may."""

    def _should_update_cache(self, request, response):
        if not getattr(request, "_cache_update_cache", False) or not hasattr(request, "_pagecache"):
            return False
        if getattr(request, "is_preview", False) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        return not response.cookies

    def process_response(self, request, response):
        memo.begin(None)  # the request is over: nothing after it reads its generation
        path = request.path_info
        if _starts_with(path, settings.PAGECACHE_NEVER_CACHED_PATHS):
            add_never_cache_headers(response)
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not _starts_with(
            path, settings.PAGECACHE_EXCLUDED_PATHS
        ):
            patch_cache_control(response, private=True)
            return response
        if not self._should_update_cache(request, response):
            return response
        _request_state.prefix = request._pagecache["prefix"]
        _request_state.timeout = request._pagecache["timeout"]
        response = super().process_response(request, response)
        if getattr(request, "_cache_update_cache", False) and "max-age" in response.get("Cache-Control", ""):
            _for_browsers(response, request._pagecache["timeout"])
        return response

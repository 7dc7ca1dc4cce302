"""Production settings plus one bare Django view, the ceiling any page can reach on this gunicorn."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The bare view measures Django itself on this gunicorn, not the page cache (absent before issue 9).
PAGECACHE_EXCLUDED_PATHS = [*globals().get("PAGECACHE_EXCLUDED_PATHS", []), "/bench/"]

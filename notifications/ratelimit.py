"""Reliability: an outbound requests-per-second budget per channel, shared by every worker process.

A fixed one-second window counted in the Django cache: Redis in production (atomic ``incr``, so
every process of every worker draws from the one budget), a file cache on the embedded default
(shared by the worker's processes, approximately: its ``incr`` is not atomic). A sender over the
budget waits for the next window instead of drawing 429s from the channel.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

KEY_PREFIX = "oyako:rate"
# A caller that cannot get a slot for this long goes ahead: the channel's own 429 is then retried.
MAX_WAIT_SECONDS = 30.0


class RateBudget:
    """``RateBudget("line").acquire()`` before each request; blocks while the second's budget is spent.

    Args:
        channel: the channel name, a key of NOTIFICATIONS_RATE_LIMITS.
        per_second: override of the configured budget (tests).
        clock, sleep: injectable for tests.
    """

    def __init__(self, channel, per_second=None, clock=time.time, sleep=time.sleep):
        self.channel = channel
        limits = getattr(settings, "NOTIFICATIONS_RATE_LIMITS", {})
        self.per_second = per_second if per_second is not None else limits.get(channel, 0)
        self.clock = clock
        self.sleep = sleep

    def _take(self, window):
        key = f"{KEY_PREFIX}:{self.channel}:{window}"
        try:
            cache.add(key, 0, timeout=5)
            return cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, timeout=5)
            return 1
        except Exception:  # a cache outage must not stop a push; the channel's 429s are retried
            logger.warning("Rate budget for %s not available; sending unthrottled", self.channel)
            return 0

    def acquire(self):
        """Wait until one request of this channel fits in the current second's budget."""
        if not self.per_second:
            return
        started = self.clock()
        while True:
            now = self.clock()
            window = int(now)
            if self._take(window) <= self.per_second or now - started > MAX_WAIT_SECONDS:
                return
            self.sleep(max(0.001, window + 1 - now))

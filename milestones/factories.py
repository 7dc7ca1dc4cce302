"""Factories for timed message series, used by the tests, the demo and the benchmark."""

from articles.factories import approve_revision

from .models import MessageSeriesPage, TimedMessage


def build_series(parent, *, title, messages, physician=None, slug=None, publish=True, user=None):
    """A series under ``parent`` with ``messages`` (dicts of TimedMessage fields), published.

    Every series is approved by ``physician`` before it is published, as the review workflow would.
    """
    series = MessageSeriesPage(title=title, slug=slug or None, physician=physician, live=False)
    series.messages = [TimedMessage(**fields) for fields in messages]
    parent.add_child(instance=series)
    if publish:
        publish_series(series, user=user)
    return series


def publish_series(series, user=None):
    """Save a revision of ``series``, approve it if it needs approval, publish it. Returns the revision."""
    revision = series.save_revision(user=user)
    if series.requires_physician_approval():
        approve_revision(revision, physician=series.physician, user=user)
    revision.publish(user=user, skip_permission_checks=True)
    series.refresh_from_db()
    return revision

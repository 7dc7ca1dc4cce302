"""Signals record, tasks send: publishing an article records its notification in the same
transaction and queues the sending on commit (see services.issue)."""

import logging

from wagtail.signals import page_published

from . import services

logger = logging.getLogger(__name__)


def announce_article(sender, instance, revision, **kwargs):
    """Record a notification when an article revision goes live with "notify subscribers" ticked.

    Wagtail fires page_published also when a never-published page is only scheduled (wagtail
    issue 13959): nothing is recorded unless the page is live with this very revision. After a push
    the box is unticked on the page (and its latest revision), so republishing or publishing a
    later revision does not push again unless an editor ticks it for that revision.
    """
    page = instance
    if not services.announces_on_publish(page) or revision is None:
        return
    if not page.live or page.live_revision_id != revision.pk:
        return
    notification = services.issue(
        source=f"article:{page.pk}:rev:{revision.pk}",
        page=page,
        title=page.title,
        text=page.push_text or page.summary,
        life_stages=page.life_stage_codes,
        revision=revision,
        requested_by=kwargs.get("user"),
    )
    if notification.status == "skipped":
        return
    # Untick on the page row and in the latest revision's content, so that the next draft starts
    # unticked; a plain UPDATE, so no new revision and no second signal.
    type(page).objects.filter(pk=page.pk).update(notify_subscribers=False)
    page.notify_subscribers = False
    latest = page.latest_revision
    if latest is not None and latest.content.get("notify_subscribers"):
        latest.content["notify_subscribers"] = False
        latest.save(update_fields=["content"])
    logger.info("Article %s revision %s: notification %s", page.pk, revision.pk, notification.status)


def register_signal_handlers():
    from articles.models import ArticlePage

    page_published.connect(announce_article, sender=ArticlePage, dispatch_uid="notifications_announce")

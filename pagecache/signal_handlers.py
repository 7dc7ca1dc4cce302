"""Wagtail's page signals and the configured snippets clear the page cache when they change."""

from django.db.models.signals import post_delete

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .invalidation import clear_pages, watch_configured_models


def page_changed(sender, instance, **kwargs):
    clear_pages(f"page {instance.pk} {kwargs.get('signal_name', 'changed')}")


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        clear_pages(f"page {instance.pk} deleted")


def register_signal_handlers():
    # page_published also covers scheduled publishing and a translation going live (wagtail-localize
    # publishes through the revision), which the after_publish_page hook does not see.
    page_published.connect(page_changed, dispatch_uid="pagecache-published")
    page_unpublished.connect(page_changed, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(page_changed, dispatch_uid="pagecache-moved")
    post_delete.connect(page_deleted, dispatch_uid="pagecache-deleted")
    watch_configured_models()

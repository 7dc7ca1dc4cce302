"""Signal handlers: the review-submitted email to physicians, the Medical review workflow on
every new article index, and a source's withdrawal and privacy following it into every language."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import Page, PageViewRestriction, TaskState, WorkflowPage
from wagtail.signals import page_unpublished, post_page_move, task_submitted


class PhysicianReviewSubmissionEmailNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    """Wagtail's "submitted for review" email, sent to the physicians who may review the page."""

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        from .workflows import PhysicianReviewTask

        return isinstance(instance, TaskState) and isinstance(instance.task.specific, PhysicianReviewTask)

    def get_recipient_users(self, task_state, **kwargs):
        from .models import Physician

        task = task_state.task.specific
        page = task_state.revision.content_object
        triggering_user = kwargs.get("user")
        physicians = Physician.objects.filter(user__isnull=False).select_related("user")
        return {
            physician.user
            for physician in physicians
            if physician.user != triggering_user and task.is_reviewer(page, physician.user)
        }


physician_review_submission_email_notifier = PhysicianReviewSubmissionEmailNotifier()


def assign_medical_review(sender, instance, created, raw=False, **kwargs):
    """Put a new article index under the Medical review workflow, so its editors see "Submit"."""
    from .workflows import medical_review_workflow

    if not created or raw:
        return
    workflow = medical_review_workflow()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=instance, defaults={"workflow": workflow})


# A source's withdrawal and privacy follow it into every language --------------------------------


def withdraw_with_unpublished_source(sender, instance, **kwargs):
    from .translation_privacy import is_source_page
    from .translations import WITHDRAWN_UNPUBLISHED, withdraw_translations

    if is_source_page(instance):
        withdraw_translations(instance, WITHDRAWN_UNPUBLISHED)


def withdraw_with_deleted_source(sender, instance, **kwargs):
    from .translation_privacy import is_source_page
    from .translations import WITHDRAWN_DELETED, withdraw_translations

    if is_source_page(instance):
        withdraw_translations(instance, WITHDRAWN_DELETED)


def follow_moved_page(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    """A source moved into a private section withdraws its translations; privacy is re-synced."""
    from .translation_privacy import is_source_page, source_pages_under, sync_translation_privacy
    from .translations import WITHDRAWN_PRIVATE, withdraw_translations

    page = Page.objects.get(pk=instance.pk)
    sources = source_pages_under(page)
    was_private = page.view_restrictions.exists() or bool(
        parent_page_before and parent_page_before.get_view_restrictions().exists()
    )
    if is_source_page(page) and not was_private and page.get_view_restrictions().exists():
        for source in sources:
            withdraw_translations(source, WITHDRAWN_PRIVATE)
    sync_translation_privacy(sources)


def follow_restriction_saved(sender, instance, created=False, raw=False, **kwargs):
    from .models import TranslatedViewRestriction
    from .translation_privacy import (
        adopt_twin,
        is_source_page,
        source_pages_under,
        sync_translation_privacy,
        syncing,
        update_copies,
    )

    if raw or syncing():
        return
    if created and not is_source_page(instance.page) and adopt_twin(instance):
        return
    link = TranslatedViewRestriction.objects.filter(copy=instance).select_related("source").first()
    if link is not None:
        # A copy changed by hand takes its source's settings again.
        update_copies(link.source)
    elif is_source_page(instance.page):
        update_copies(instance)
        sync_translation_privacy(source_pages_under(instance.page))


def follow_restriction_groups(sender, instance, action, reverse=False, **kwargs):
    from .translation_privacy import is_source_page, syncing, update_copies

    if reverse or syncing() or action not in ("post_add", "post_remove", "post_clear"):
        return
    if is_source_page(instance.page):
        update_copies(instance)


def follow_restriction_deleted(sender, instance, **kwargs):
    from .models import TranslatedViewRestriction
    from .translation_privacy import delete_copies, source_pages_under, sync_translation_privacy, syncing

    if syncing():
        return
    link = TranslatedViewRestriction.objects.filter(copy=instance).first()
    if link is None:
        delete_copies(instance)
        return
    source_id = link.source_id

    def restore():
        # After commit: by then a page deleted with its copy is gone and gets nothing back.
        source = PageViewRestriction.objects.filter(pk=source_id).select_related("page").first()
        if source is not None:
            sync_translation_privacy(source_pages_under(source.page))

    transaction.on_commit(restore)


def follow_new_translation(sender, instance, created=False, raw=False, **kwargs):
    from .translation_privacy import sync_for_translation
    from .translations import is_translation

    if created and not raw and isinstance(instance, Page) and is_translation(instance):
        sync_for_translation(instance)


def register_signal_handlers():
    from .models import ArticleIndexPage, SearchSynonym
    from .search import forget_synonyms

    task_submitted.connect(
        physician_review_submission_email_notifier,
        sender=TaskState,
        dispatch_uid="articles_physician_review_submitted_email",
    )
    post_save.connect(
        assign_medical_review, sender=ArticleIndexPage, dispatch_uid="articles_assign_medical_review"
    )
    page_unpublished.connect(withdraw_with_unpublished_source, dispatch_uid="articles_withdraw_unpublished")
    # Deleting a page deletes its base Page row (treebeard deletes through the base class).
    pre_delete.connect(withdraw_with_deleted_source, sender=Page, dispatch_uid="articles_withdraw_deleted")
    post_page_move.connect(follow_moved_page, dispatch_uid="articles_translation_follow_move")
    post_save.connect(
        follow_restriction_saved, sender=PageViewRestriction, dispatch_uid="articles_privacy_saved"
    )
    m2m_changed.connect(
        follow_restriction_groups,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="articles_privacy_groups",
    )
    pre_delete.connect(
        follow_restriction_deleted, sender=PageViewRestriction, dispatch_uid="articles_privacy_deleted"
    )
    post_save.connect(follow_new_translation, dispatch_uid="articles_privacy_new_translation")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid=f"articles_synonyms_{name}")

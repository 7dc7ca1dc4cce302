"""Signal handlers: the review-submitted email to physicians, and the Medical review workflow on
every new article index."""

from django.db.models.signals import post_delete, post_save

from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import TaskState, WorkflowPage
from wagtail.signals import task_submitted


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
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid=f"articles_synonyms_{name}")

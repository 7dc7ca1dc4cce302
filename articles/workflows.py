"""The physician review task: only a page's own physician (or, by setting, one of the same
specialty) approves it, never anyone whose words are in the revision (see :func:`authors_of`), and
a rejection needs a comment. Approving records an :class:`~articles.models.ArticleApproval` for the
revision, which is what the publish gate in :mod:`articles.gate` asks for.
"""

import logging

from dateutil.relativedelta import relativedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.forms import TaskStateCommentForm
from wagtail.models import Revision, Task, TaskState, Workflow

logger = logging.getLogger("articles")

# The names the admin shows, set by migrations (articles 0005, renamed in 0013).
MEDICAL_REVIEW_WORKFLOW = "医療監修"
PHYSICIAN_REVIEW_TASK = "医師の確認"


def medical_review_workflow():
    """The active Medical review workflow (「医療監修」), or None if an administrator switched it off."""
    return Workflow.objects.filter(name=MEDICAL_REVIEW_WORKFLOW, active=True).first()


def next_review_due(reviewed_on):
    """The date a review on ``reviewed_on`` falls due again (ARTICLES_REVIEW_INTERVAL_MONTHS)."""
    return reviewed_on + relativedelta(months=settings.ARTICLES_REVIEW_INTERVAL_MONTHS)


class RejectionForm(TaskStateCommentForm):
    """The "request changes" form: the editor needs to know what to change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].help_text = _("Tell the editor what to change. The editor sees this comment.")


class ApprovalForm(TaskStateCommentForm):
    """The approve dialog: a comment is optional; the template says what approving does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = False


def physician_for(user):
    """The physician whose admin account ``user`` is, or None."""
    from .models import Physician

    if not user or not user.is_authenticated:
        return None
    return Physician.objects.filter(user=user).first()


def authors_of(page, revision):
    """The ids of everyone whose words are in ``revision`` of ``page``; none of them may approve it.

    Whoever saved any revision since the page's last approved one (up to ``revision``), and for a
    translation whoever wrote any of its strings in wagtail-localize's editor. No exception for a
    superuser. Content outside articles (the bot's words) answers with its own
    ``medical_authors(revision)``.
    """
    from .models import ArticleApproval
    from .translations import is_translation, string_translators

    own_rule = getattr(page, "medical_authors", None)
    if own_rule is not None:
        return own_rule(revision)

    last_approved = (
        ArticleApproval.objects.filter(page_id=page.pk, revision_id__lt=revision.pk)
        .order_by("-revision_id")
        .values_list("revision_id", flat=True)
        .first()
    )
    since = Revision.objects.page_revisions().filter(object_id=str(page.pk), pk__lte=revision.pk)
    if last_approved is not None:
        since = since.filter(pk__gt=last_approved)
    authors = {revision.user_id, *since.values_list("user_id", flat=True)}
    if is_translation(page):
        authors |= string_translators(page)
    authors.discard(None)
    return authors


def landing_after_review(obj, user):
    """Where a reviewer lands after approving or requesting changes: None (Wagtail's own choice,
    the edit view or the page's parent in the explorer) for whoever may edit ``obj``, else the
    dashboard, which shows the result message and the reviewer's remaining reviews."""
    from django.urls import reverse

    from wagtail.models import Page

    if not isinstance(obj, Page):
        return None  # a snippet's own views decide (the bot's words)
    # Read afresh: the instance in hand may still remember the workflow task just finished.
    if Page.objects.get(pk=obj.pk).permissions_for_user(user).can_edit():
        return None
    return reverse("wagtailadmin_home")


class PhysicianReviewTask(Task):
    """A workflow step that only the supervising physician can approve."""

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("Physician review")
        verbose_name_plural = _("Physician reviews")

    @classmethod
    def get_description(cls):
        return _("The page's supervising physician approves each version before it goes live")

    # Who may review ----------------------------------------------------------------------------

    def is_reviewer(self, obj, user):
        """Whether ``user`` may review ``obj`` (approve or request changes).

        The source is reviewed by its physician; a translation by someone registered for its
        language (see :mod:`articles.translations`).
        """
        from .translations import is_translation, translation_reviewer

        own_rule = getattr(obj, "medical_reviewer_for", None)
        if own_rule is not None:
            # Content outside articles (the bot's words) says who may review it in its language.
            return own_rule(user) is not None
        if is_translation(obj):
            return translation_reviewer(obj, user) is not None
        physician = physician_for(user)
        page_physician = getattr(getattr(obj, "specific", obj), "physician", None)
        if physician is None or page_physician is None:
            return False
        if physician.pk == page_physician.pk:
            return True
        return (
            settings.ARTICLES_ALLOW_SAME_SPECIALTY_APPROVAL
            and physician.specialty == page_physician.specialty
        )

    def can_approve(self, obj, user, revision):
        """Whether ``user`` may approve ``revision`` of ``obj``: a reviewer who wrote none of it."""
        if revision is None or not self.is_reviewer(obj, user):
            return False
        # Four eyes: whoever wrote any of this version's words cannot also vouch for it.
        return user.pk not in authors_of(obj, revision)

    @staticmethod
    def _revision_under_review(obj):
        task_state = getattr(obj, "current_workflow_task_state", None)
        if task_state is not None:
            return task_state.revision
        return obj.get_latest_revision()

    # Wagtail's task interface ------------------------------------------------------------------

    def user_can_access_editor(self, obj, user):
        return self.is_reviewer(obj, user)

    def locked_for_user(self, obj, user):
        # While the physician reviews it, the version under review stays as it is.
        return not (user.is_superuser or self.is_reviewer(obj, user))

    def user_can_lock(self, obj, user):
        return self.is_reviewer(obj, user)

    def get_actions(self, obj, user):
        if not self.is_reviewer(obj, user):
            return []
        actions = [("reject", _("Request changes"), True)]
        if self.can_approve(obj, user, self._revision_under_review(obj)):
            # Always through the dialog, which says what approving does before the click.
            actions += [("approve", _("Approve"), True)]
        return actions

    def get_form_for_action(self, action):
        if action == "reject":
            return RejectionForm
        if action == "approve":
            return ApprovalForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        if action == "approve":
            return "articles/workflow/approve_modal.html"
        return super().get_template_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if physician_for(user) is None and not hasattr(user, "medical_reviewer"):
            return TaskState.objects.none()
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("revision")
        return states.filter(
            pk__in=[s.pk for s in states if self.is_reviewer(s.revision.content_object, user)]
        )

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        page = task_state.revision.content_object
        if action_name == "approve":
            self.approve(task_state, page, user)
        elif action_name == "reject":
            if not self.is_reviewer(page, user):
                raise PermissionDenied(_("Only the supervising physician can review this page."))
            if not (kwargs.get("comment") or "").strip():
                raise PermissionDenied(_("Requesting changes needs a comment for the editor."))
        super().on_action(task_state, user, action_name, **kwargs)
        # Wagtail's dialog then goes to the page's edit view, which a reviewer without edit
        # permission may not open once the review is over: land on the dashboard instead.
        return landing_after_review(page, user)

    def approve(self, task_state, page, user):
        """Record the physician's approval of the task state's revision.

        Raises:
            PermissionDenied: If ``user`` may not approve, or the page changed since the review began.
        """
        from .models import ArticleApproval

        revision = task_state.revision
        if not self.can_approve(page, user, revision):
            logger.warning(
                "Refused approval of revision %s by user %s", revision.pk, getattr(user, "pk", None)
            )
            raise PermissionDenied(
                _("Only the supervising physician, who did not edit this version, can approve it.")
            )
        if page.get_latest_revision().pk != revision.pk:
            # Wagtail publishes the latest revision on approval; it must be the one reviewed.
            raise PermissionDenied(_("This page changed after it was submitted. Review the latest version."))
        record = getattr(page, "record_medical_approval", None)
        if record is not None:
            # Content outside articles records its own approval (guidance.WordsApproval).
            record(revision, user)
            return
        from .translations import source_not_synced, source_of, translation_reviewer

        source = source_of(page)
        reviewer = translation_reviewer(page, user) if source is not None else None
        if source is not None and source_not_synced(page):
            raise PermissionDenied(
                _("The Japanese original changed since this translation was made. Sync it and review again.")
            )
        reviewed_on = timezone.localdate()
        fields = {
            "page_id": page.pk,
            "physician": reviewer.physician if reviewer else physician_for(user),
            "reviewer": reviewer,
            "source_revision_id": source.live_revision_id if source is not None else None,
            "approved_by": user,
            "reviewed_on": reviewed_on,
            "next_review_due": next_review_due(reviewed_on),
        }
        approval, created = ArticleApproval.objects.get_or_create(revision=revision, defaults=fields)
        if not created and approval.withdrawn_at is not None:
            # Reviewed again after its source was withdrawn: this review is the one that counts.
            for name, value in {**fields, "approved_at": timezone.now(), "withdrawn_at": None}.items():
                setattr(approval, name, value)
            approval.save()
        logger.info("Revision %s of page %s approved by user %s", revision.pk, page.pk, user.pk)

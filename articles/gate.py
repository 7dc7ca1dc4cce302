"""The publish gate: a page that needs physician approval goes live only with an approved revision.

Wagtail publishes through several roads (the editor's publish button, workflow approval,
``publish_scheduled``, reverting, copying with "publish copies", wagtail-localize). They all end
in the page's ``save()`` with ``live`` set and ``live_revision`` pointing at the revision going
live, so the model-level check there is the one no road can skip; the admin hooks only turn a
refusal into a clear message before any work is done.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("articles")


class UnapprovedRevisionError(PermissionDenied):
    """Raised when a revision without a physician's approval is about to go live."""


def requires_physician_approval(page):
    """Whether ``page`` (any page type) may only go live with a physician's approval."""
    specific = page.specific if hasattr(page, "specific_class") else page
    return bool(getattr(specific, "requires_physician_approval", lambda: False)())


def is_approved(revision_id, page=None):
    """Whether a qualified reviewer approved the revision with this id (of ``page``, if given).

    For a translation, the approval must also be against its source's current live version, and
    not withdrawn with its source.

    A page not yet saved has no approved revision of its own: a copy arrives carrying the
    original's live revision, whose approval is not the copy's.

    An alias has no revisions: it shows its source's live content (Wagtail copies it on every
    publish of the source and unpublishes it with the source), so it follows its source's
    approval: approved while its source is live with an approved live revision.
    """
    from .models import ArticleApproval

    if page is not None and getattr(page, "alias_of_id", None):
        source = alias_source(page)
        return source is not None and source.live and is_approved(source.live_revision_id, source)
    if not revision_id:
        return False
    approvals = ArticleApproval.objects.filter(revision_id=revision_id, withdrawn_at__isnull=True)
    if page is None:
        return approvals.exists()
    if page.pk is None:
        return False
    approval = approvals.filter(revision__object_id=str(page.pk)).first()
    if approval is None:
        return False
    from .translations import source_of

    source = source_of(page)
    if source is None:
        return True
    # A translation's approval vouches for it against one version of its source: once the source
    # is published again, that approval no longer lets the translation (re)go live.
    return approval.source_revision_id is not None and approval.source_revision_id == source.live_revision_id


def alias_source(page):
    """The page ``page`` is an alias of, followed to the end of a chain of aliases, or None."""
    from wagtail.models import Page

    seen = set()
    while page is not None and page.alias_of_id and page.alias_of_id not in seen:
        seen.add(page.alias_of_id)
        page = Page.objects.filter(pk=page.alias_of_id).first()
    return page.specific if page is not None and not page.alias_of_id else None


def refusal_message(page):
    return _(
        "“%(title)s” cannot be published: its physician has not approved this version. "
        "Submit it to the Medical review workflow."
    ) % {"title": page.get_admin_display_title() if hasattr(page, "get_admin_display_title") else page}


def check_revision(page, revision_id, *, road, user=None):
    """Refuse to let ``revision_id`` of ``page`` go live or be scheduled without an approval.

    Args:
        page: The page being published (any type; pages that do not need approval pass).
        revision_id: The id of the revision that would become live.
        road: A short name of the publishing road, for the log.
        user: The user publishing, if any.

    Raises:
        UnapprovedRevisionError: If the page needs a physician's approval and the revision has none.
    """
    if not requires_physician_approval(page) or is_approved(revision_id, page):
        return
    # The log names ids only: no titles or personal data.
    logger.warning(
        "Refused to publish page %s revision %s without physician approval (road: %s, user: %s)",
        page.pk,
        revision_id,
        road,
        getattr(user, "pk", None),
    )
    raise UnapprovedRevisionError(refusal_message(page))


def finish_workflow(workflow_state, user=None):
    """``WAGTAIL_FINISH_WORKFLOW_ACTION``: publish the approved page at the end of its workflow.

    Physicians hold no publish permission (they must not publish on their own); for a page that
    needs their approval, the approval recorded by the task is the authority, and the publish gate
    still checks it. Every other page is published as Wagtail does, with its permission check.
    """
    from wagtail.workflows import publish_workflow_state

    obj = workflow_state.content_object
    if requires_physician_approval(obj):
        return obj.get_latest_revision().publish(user=user, skip_permission_checks=True)
    return publish_workflow_state(workflow_state, user=user)

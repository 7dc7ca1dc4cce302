"""The physician review of the bot's words: the editors' answers and the crisis reply.

What the bot says to a parent is medical content, so it goes through the same "Medical review"
workflow and Physician review task as an article (:mod:`articles.workflows`): each revision of an
answer or a crisis reply, in each language, is approved by a qualified reviewer who did not write
it, and only the words of an approved revision ever reach a parent.

Who may review, per language (the "Medical reviewers" snippet, as for articles' translations):

- Japanese, the source: any physician with an admin account;
- another language: someone registered for it under *Snippets → Medical reviewers* — for an
  answer a physician or a medical translator, for the crisis reply a physician only.

:func:`words_for_parent` is the one rule the bot asks at the moment it replies ("may this reach a
parent now, and in which words?"); the publish gate in :class:`ReviewedWordsMixin` only turns an
unapproved publish into a clear refusal before anything changes.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale

logger = logging.getLogger("guidance")


class UnapprovedWordsError(PermissionDenied):
    """Raised when a revision of the bot's words without an approval is about to go live."""


def locale_of(obj):
    """The Locale ``obj`` is written in (an answer's locale, a crisis reply's language), or None."""
    if getattr(obj, "locale_id", None):
        return obj.locale
    return Locale.objects.filter(language_code=obj.language).first()


def reviewer_for(obj, user):
    """Who ``user`` reviews ``obj`` as: ``(physician, medical_reviewer)``, or None if they may not.

    Args:
        obj: A :class:`QuestionAnswer` or :class:`CrisisReply`.
        user: The admin user.
    """
    from articles.models import MedicalReviewer
    from articles.workflows import physician_for

    if not user or not user.is_authenticated:
        return None
    locale = locale_of(obj)
    if locale is None:
        return None
    if locale.language_code == settings.LANGUAGE_CODE:
        physician = physician_for(user)
        return (physician, None) if physician is not None else None
    reviewer = (
        MedicalReviewer.objects.select_related("physician").filter(user=user, locales__pk=locale.pk).first()
    )
    if reviewer is None:
        return None
    if obj.physician_only and (reviewer.role != MedicalReviewer.Role.PHYSICIAN or reviewer.physician is None):
        return None
    return reviewer.physician, reviewer


def record_approval(obj, revision, user):
    """Record ``user``'s approval of ``revision`` of ``obj`` (called by the Physician review task,
    which has already checked that ``user`` may approve it and did not write it)."""
    from .models import WordsApproval

    physician, reviewer = reviewer_for(obj, user)
    WordsApproval.objects.get_or_create(
        revision=revision,
        defaults={"physician": physician, "reviewer": reviewer, "approved_by": user},
    )
    logger.info("Revision %s of %s %s approved by user %s", revision.pk, obj._meta.label, obj.pk, user.pk)


def is_approved(revision, obj):
    """Whether ``revision`` is a revision of ``obj`` approved by someone other than its author."""
    if revision is None or obj.pk is None or str(revision.object_id) != str(obj.pk):
        return False
    if revision.base_content_type_id != obj.get_base_content_type().pk:
        return False
    approval = getattr(revision, "words_approval", None)
    return (
        approval is not None
        and approval.approved_by_id is not None
        and approval.approved_by_id != revision.user_id
    )


def words_for_parent(obj):
    """The words of ``obj`` a parent may receive now: its live revision, approved, as an object;
    None when it is not live or its live revision has no approval.

    The row itself is never sent: it may hold words no reviewer has seen (a draft saved into it,
    an import, a shell). A new version waiting for review leaves the approved one in place.
    """
    if obj is None or not obj.live or not obj.live_revision_id:
        return None
    from wagtail.models import Revision

    revision = Revision.objects.select_related("words_approval").filter(pk=obj.live_revision_id).first()
    if not is_approved(revision, obj):
        return None
    return revision.as_object()


def refusal_message(obj):
    return _(
        "“%(name)s” cannot be published: no physician has approved this version. "
        "Submit it to the Medical review workflow."
    ) % {"name": obj}


class ReviewedWordsMixin:
    """For the bot's words: reviewed by the Medical review workflow, live only once approved.

    The Physician review task asks :meth:`medical_reviewer_for` who may review and calls
    :meth:`record_medical_approval` when they approve, instead of its article rules.
    """

    # Whether only a physician may approve it in every language (not a medical translator).
    physician_only = False

    def requires_physician_approval(self):
        return True

    @classmethod
    def get_default_workflow(cls):
        # Always the physicians' workflow (also for a new object, before it is saved), whatever an
        # administrator assigned to the model; if they switch it off, nothing can go live.
        from articles.workflows import medical_review_workflow

        return medical_review_workflow()

    def get_workflow(self):
        return self.get_default_workflow()

    def medical_reviewer_for(self, user):
        return reviewer_for(self, user)

    def record_medical_approval(self, revision, user):
        record_approval(self, revision, user)

    def medical_authors(self, revision):
        """The ids of everyone whose words are in ``revision`` (none of them may approve it): who
        saved any revision since the last approved one, and for a translated answer who wrote any
        of its strings in wagtail-localize's editor."""
        from wagtail.models import Revision

        from articles.translations import string_translators

        revisions = Revision.objects.filter(
            base_content_type=self.get_base_content_type(), object_id=str(self.pk), pk__lte=revision.pk
        )
        last_approved = (
            revisions.filter(words_approval__isnull=False, pk__lt=revision.pk)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if last_approved is not None:
            revisions = revisions.filter(pk__gt=last_approved)
        authors = {revision.user_id, *revisions.values_list("user_id", flat=True)}
        authors |= string_translators(self)
        authors.discard(None)
        return authors

    @property
    def live_approval(self):
        from .models import WordsApproval

        if not self.live_revision_id:
            return None
        return (
            WordsApproval.objects.select_related("physician", "reviewer")
            .filter(revision_id=self.live_revision_id, revision__object_id=str(self.pk))
            .first()
        )

    def publish(self, revision, user=None, *args, **kwargs):
        if not is_approved(revision, self):
            logger.warning(
                "Refused to publish %s %s revision %s without approval (user %s)",
                self._meta.label,
                self.pk,
                revision.pk,
                getattr(user, "pk", None),
            )
            if kwargs.get("log_action") == "wagtail.publish.scheduled":
                # Withdraw the schedule, so scheduled publishing goes on with the rest.
                revision.approved_go_live_at = None
                revision.save(update_fields=["approved_go_live_at"])
                return None
            raise UnapprovedWordsError(refusal_message(self))
        return super().publish(revision, user, *args, **kwargs)

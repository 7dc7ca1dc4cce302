"""Clinical sign-off per language: who may approve a translation, and whether it is up to date.

A translation (any page outside the default locale) goes through the same Physician review task
and publish gate as its Japanese source, but its reviewer must be registered for its language as a
:class:`~articles.models.MedicalReviewer`: the article's own physician, or a medical translator.
Its approval remembers the source's live revision; when the source is published again, the
translation is out of date (flagged on the site and in the admin, never pushed) until it is updated
and approved again.

A withdrawal of the source is a clinical decision about the content in every language: unpublishing
or deleting it, or moving it into a private section, unpublishes its translations too
(:func:`withdraw_translations`), and they come back only through their own review. Privacy follows
the source too (:mod:`articles.translation_privacy`). Nobody approves words they wrote
(:func:`string_translators` for a translation's strings).
"""

import logging

from django.conf import settings
from django.utils import timezone

from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import Locale, Page, PageLogEntry

logger = logging.getLogger("articles")

WITHDRAWN_ACTION = "oyako.translation_withdrawn"
# Why a translation was withdrawn with its source (kept in the audit log entry's data).
WITHDRAWN_UNPUBLISHED = "source_unpublished"
WITHDRAWN_DELETED = "source_deleted"
WITHDRAWN_PRIVATE = "source_moved_to_private_section"


def default_locale_id():
    return Locale.get_default().pk


def is_translation(page):
    """Whether ``page`` (or a translatable snippet) is a translation of one in the source (default)
    locale."""
    locale_id = getattr(page, "locale_id", None)
    return bool(locale_id) and locale_id != default_locale_id()


def source_of(page):
    """The source-language page ``page`` translates, or None."""
    if not is_translation(page):
        return None
    return page.get_translation_or_none(Locale.get_default())


def translation_reviewer(page, user):
    """The :class:`MedicalReviewer` of ``user`` qualified for ``page``'s language, or None.

    A physician registered for the language reviews the translations of their own articles (or, by
    setting, of their specialty); a medical translator registered for it reviews any article.
    """
    from .models import MedicalReviewer

    if not user or not user.is_authenticated:
        return None
    reviewer = (
        MedicalReviewer.objects.select_related("physician")
        .filter(user=user, locales__pk=page.locale_id)
        .first()
    )
    if reviewer is None:
        return None
    if reviewer.role == MedicalReviewer.Role.TRANSLATOR:
        return reviewer
    page_physician = getattr(getattr(page, "specific", page), "physician", None)
    own = reviewer.physician
    if own is None or page_physician is None:
        return None
    if own.pk == page_physician.pk:
        return reviewer
    if settings.ARTICLES_ALLOW_SAME_SPECIALTY_APPROVAL and own.specialty == page_physician.specialty:
        return reviewer
    return None


def source_not_synced(page):
    """Whether the translation's text predates the source's live version (wagtail-localize only).

    wagtail-localize keeps a copy of the source it translates from; an approval of a translation
    whose copy is older than the source's live revision would vouch for text from an old source.
    """
    from wagtail_localize.models import TranslationSource

    source = source_of(page)
    if source is None or not source.live_revision_id:
        return False
    translation_source = TranslationSource.objects.get_for_instance_or_none(source)
    if translation_source is None:
        return False
    return translation_source.last_updated_at < source.live_revision.created_at


def out_of_date(page):
    """Whether live translation ``page`` was approved against an older version of its source.

    A translation without an approved live revision, or whose source is not live, counts as out
    of date too: nothing vouches for it matching what the source says now.
    """
    if not is_translation(page):
        return False
    approval = getattr(page, "live_approval", None)
    source = source_of(page)
    if approval is None or source is None or not source.live_revision_id:
        return True
    return approval.source_revision_id != source.live_revision_id


def behind_source(page):
    """Whether live translation ``page`` of a page that needs no approval is behind its source.

    With no approval to remember the source's version, the translation is up to date when it went
    live after the source's live version and, made with wagtail-localize, from a copy of it.
    """
    if not is_translation(page):
        return False
    source = source_of(page)
    if source is None or not source.live_revision_id or not page.live_revision_id:
        return True
    if page.live_revision.created_at < source.live_revision.created_at:
        return True
    return source_not_synced(page)


def fallback_chain(language):
    """The languages to try for a family reading ``language``, best first, ending in the source."""
    chain = [language, *settings.LANGUAGE_FALLBACKS.get(language, [])]
    if settings.LANGUAGE_CODE not in chain:
        chain.append(settings.LANGUAGE_CODE)
    seen = []
    for code in chain:
        if code not in seen:
            seen.append(code)
    return seen


def translations_of(source):
    """Every page in another language sharing ``source``'s translation key (aliases included)."""
    return Page.objects.filter(translation_key=source.translation_key).exclude(locale_id=source.locale_id)


def withdraw_translations(source, reason, user=None):
    """Unpublish every live translation of source-language page ``source``, saying why in the log.

    The translations come back only through their own review: the publish gate asks for an
    approval against the source's live revision, which a withdrawn source no longer has.

    Args:
        source: A page in the source (default) locale; anything else withdraws nothing.
        reason: One of the ``WITHDRAWN_*`` reasons, recorded in each audit log entry.
        user: Who withdrew the source (its unpublish or delete log entry's user when not given).

    Returns:
        The ids of the pages withdrawn.
    """
    if source is None or is_translation(source) or not source.translation_key:
        return []
    from .models import ArticleApproval

    user = user or _who_withdrew(source)
    # Live or not (a draft approved, a version scheduled), no approval of a translation made before
    # now lets it go live again: the source may come back as it was, the translations only reviewed.
    ArticleApproval.objects.filter(
        page_id__in=translations_of(source).values("pk"), withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    withdrawn = []
    for page in translations_of(source).filter(live=True).specific():
        # The withdrawal is the source's, already permitted; the editor may lack rights here.
        UnpublishPageAction(page, user=user, log_action=False).execute(skip_permission_checks=True)
        log(instance=page, action=WITHDRAWN_ACTION, user=user, data={"source": source.pk, "reason": reason})
        withdrawn.append(page.pk)
    if withdrawn:
        logger.info("Withdrew translations %s with source page %s (%s)", withdrawn, source.pk, reason)
    return withdrawn


def _who_withdrew(source):
    """The user of the source's unpublish or delete just logged, else the active log context's."""
    entry = PageLogEntry.objects.filter(page_id=source.pk).order_by("-timestamp", "-pk").first()
    if entry is not None and entry.action.startswith(("wagtail.unpublish", "wagtail.delete")):
        return entry.user
    return get_active_log_context().user


def string_translators(page):
    """The ids of the users who wrote any string of translation ``page`` in wagtail-localize's editor
    (``StringTranslation.last_translated_by``, and its overrides), for the source's current text."""
    from wagtail_localize.models import SegmentOverride, StringTranslation, TranslationSource

    source = source_of(page)
    if source is None:
        return set()
    translation_source = TranslationSource.objects.get_for_instance_or_none(source)
    if translation_source is None:
        return set()
    strings = StringTranslation.objects.filter(
        locale_id=page.locale_id,
        context__object_id=page.translation_key,
        translation_of__segments__source=translation_source,
    )
    overrides = SegmentOverride.objects.filter(
        locale_id=page.locale_id, context__object_id=page.translation_key
    )
    return {
        user_id
        for queryset in (strings, overrides)
        for user_id in queryset.values_list("last_translated_by", flat=True)
        if user_id is not None
    }

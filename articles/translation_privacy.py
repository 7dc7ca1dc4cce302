"""Privacy follows the source into every language.

A view restriction (login, password or groups) in force on a source-language page, set on it or on
an ancestor, is copied onto its translations as a real Wagtail view restriction, linked to the
original by a :class:`~articles.models.TranslatedViewRestriction`. Copying, rather than teaching each
public road to look up the source, keeps one rule in one place: Wagtail's own privacy, which the
site's serve view, API v2, search, every listing (``.public()``), the sitemap and the page cache
already obey, and which the admin shows on the translation. A copy on an alias (wagtail-localize
makes a translation's untranslated parents aliases) is what ``.public()`` reads; serving an alias
already reads its source's restrictions, so a parent is asked for a password once.

Kept in step both ways: a restriction added, changed or removed on the source (or an ancestor), a
source or translation moved, or a translation created, re-syncs the copies; a copy removed by hand
while its source is still private comes back when the transaction commits.
"""

import logging
from contextlib import contextmanager

from asgiref.local import Local

from django.db import transaction

from wagtail.models import Page, PageViewRestriction

from .translations import default_locale_id, is_translation, source_of, translations_of

logger = logging.getLogger("articles")

_state = Local()


@contextmanager
def _syncing():
    """While copies are being written, the restriction signals they send are ours: ignore them."""
    previous = getattr(_state, "syncing", False)
    _state.syncing = True
    try:
        yield
    finally:
        _state.syncing = previous


def syncing():
    return getattr(_state, "syncing", False)


def sync_translation_privacy(source_pages):
    """Make every translation of ``source_pages`` (source-language pages) as private as its source.

    A translation gets a copy of each restriction in force on its source unless a copy of it is
    already in force on the translation (on itself or on a translated ancestor, processed first);
    a copy whose original no longer applies to its page's source is removed.
    """
    from .models import TranslatedViewRestriction

    with transaction.atomic(), _syncing():
        for source in sorted(source_pages, key=lambda page: page.path):
            needed = list(source.get_view_restrictions().prefetch_related("groups"))
            needed_ids = {restriction.pk for restriction in needed}
            for translation in translations_of(source).order_by("path"):
                stale = TranslatedViewRestriction.objects.filter(copy__page=translation).exclude(
                    source_id__in=needed_ids
                )
                PageViewRestriction.objects.filter(translated_from__in=stale).delete()
                # By tree path, as ``.public()`` sees it (``get_view_restrictions`` reads an alias
                # ancestor's restrictions from its source, where the copies are not).
                covered = set(
                    TranslatedViewRestriction.objects.filter(
                        copy__page__in=Page.objects.ancestor_of(translation, inclusive=True)
                    ).values_list("source_id", flat=True)
                )
                for restriction in needed:
                    if restriction.pk not in covered:
                        _copy(restriction, translation)


def _copy(restriction, page):
    from .models import TranslatedViewRestriction

    copy = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction.restriction_type, password=restriction.password
    )
    copy.groups.set(restriction.groups.all())
    TranslatedViewRestriction.objects.create(source=restriction, copy=copy)
    logger.info("Copied view restriction %s onto translation %s", restriction.pk, page.pk)


def adopt_twin(restriction):
    """Wagtail copies a page's own restrictions onto a translation it makes, after our copy: keep
    one, so a parent is not asked for the same password twice. Returns whether it had a twin."""
    from .models import TranslatedViewRestriction

    twin = (
        TranslatedViewRestriction.objects.filter(
            copy__page_id=restriction.page_id,
            copy__restriction_type=restriction.restriction_type,
            copy__password=restriction.password,
        )
        .exclude(copy=restriction)
        .select_related("copy")
        .first()
    )
    if twin is None:
        return False
    with transaction.atomic(), _syncing():
        ours = twin.copy
        twin.copy = restriction
        twin.save(update_fields=["copy"])
        ours.delete()
    return True


def update_copies(restriction):
    """Give every copy of ``restriction`` its current type, password and groups."""
    with transaction.atomic(), _syncing():
        groups = list(restriction.groups.all())
        for copy in PageViewRestriction.objects.filter(translated_from__source=restriction):
            copy.restriction_type, copy.password = restriction.restriction_type, restriction.password
            copy.save()
            copy.groups.set(groups)


def delete_copies(restriction):
    with transaction.atomic(), _syncing():
        PageViewRestriction.objects.filter(translated_from__source=restriction).delete()


def source_pages_under(page):
    """The source-language pages whose translations' privacy may change with ``page``'s."""
    page = Page.objects.get(pk=page.pk)
    if page.locale_id == default_locale_id():
        return list(Page.objects.descendant_of(page, inclusive=True).filter(locale_id=page.locale_id))
    keys = Page.objects.descendant_of(page, inclusive=True).values("translation_key")
    return list(Page.objects.filter(translation_key__in=keys, locale_id=default_locale_id()))


def is_source_page(page):
    return bool(page.locale_id) and not is_translation(page)


def sync_for_translation(page):
    """Sync the privacy of a new translation (or alias) ``page`` from its source."""
    source = source_of(page)
    if source is not None:
        sync_translation_privacy([source])

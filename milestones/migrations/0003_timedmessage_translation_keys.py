"""Timed messages becomes translatable (2 of 3): each existing row gets a translation
key (a translation's copy shares its source row's, by position) and its page's locale. A separate
migration so that PostgreSQL alters the columns after the updates commit."""

import uuid

from django.conf import settings
from django.db import migrations


def fill(apps, schema_editor):
    """Source pages' rows first, each with a new key; then a translation's copied rows take the key
    of the source row in the same position, so existing translations keep their translated words."""
    Model = apps.get_model("milestones", "TimedMessage")
    Locale = apps.get_model("wagtailcore", "Locale")
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    rows = list(Model.objects.filter(translation_key__isnull=True).select_related("page"))
    position = {}
    for page_rows in _by_page(rows).values():
        for index, row in enumerate(sorted(page_rows, key=lambda row: (row.sort_order or 0, row.pk))):
            position[row.pk] = index
    source_keys, used = {}, set()
    default_pk = getattr(default, "pk", None)
    for row in sorted(rows, key=lambda row: row.page.locale_id != default_pk):
        row.locale_id = row.page.locale_id
        match = (row.page.translation_key, position[row.pk])
        if row.page.locale_id == default_pk:
            row.translation_key = source_keys[match] = uuid.uuid4()
        else:
            row.translation_key = source_keys.get(match)
            if row.translation_key is None or (row.translation_key, row.locale_id) in used:
                row.translation_key = uuid.uuid4()
        used.add((row.translation_key, row.locale_id))
        row.save(update_fields=["translation_key", "locale"])


def _by_page(rows):
    pages = {}
    for row in rows:
        pages.setdefault(row.page_id, []).append(row)
    return pages


class Migration(migrations.Migration):
    dependencies = [("milestones", "0002_timedmessage_translation_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

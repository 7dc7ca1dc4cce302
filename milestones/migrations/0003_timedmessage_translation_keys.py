"""Timed messages becomes translatable (2 of 3): each existing row gets its own translation key and its
page's locale. A separate migration so that PostgreSQL alters the columns after the updates commit."""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    Model = apps.get_model("milestones", "TimedMessage")
    for row in Model.objects.filter(translation_key__isnull=True).select_related("page").iterator():
        row.translation_key = uuid.uuid4()
        row.locale_id = row.page.locale_id
        row.save(update_fields=["translation_key", "locale"])


class Migration(migrations.Migration):
    dependencies = [("milestones", "0002_timedmessage_translation_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

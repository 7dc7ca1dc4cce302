"""Planned pushes becomes translatable (3 of 3): the fields are required and unique together, as
``TranslatableMixin`` wants."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_plannedpush_translation_keys")]

    operations = [
        migrations.AlterField(
            model_name="plannedpush",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="plannedpush",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="plannedpush",
            unique_together={("translation_key", "locale")},
        ),
    ]

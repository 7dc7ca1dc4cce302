"""Timed messages becomes translatable (3 of 3): the fields are required and unique together, as
``TranslatableMixin`` wants."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("milestones", "0003_timedmessage_translation_keys")]

    operations = [
        migrations.AlterField(
            model_name="timedmessage",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="timedmessage",
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
            name="timedmessage",
            unique_together={("translation_key", "locale")},
        ),
    ]

"""A campaign's reviewing physician is chosen among the physicians themselves, never a translation
of their entry (physicians became translatable snippets in articles 0014)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_finish_translatable_snippets"),
        ("campaigns", "0007_workflow_names_in_japanese"),
    ]

    operations = [
        migrations.AlterField(
            model_name="campaignpage",
            name="physician",
            field=models.ForeignKey(
                blank=True,
                help_text="This physician approves each version: a campaign's words reach parents only when reviewed.",
                limit_choices_to={"locale__language_code": "ja"},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="campaigns",
                to="articles.physician",
                verbose_name="reviewing physician",
            ),
        ),
    ]

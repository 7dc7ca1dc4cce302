"""Topics and physicians become translatable (wagtail-localize): each existing row is a Japanese
source with its own translation key; a topic's name and slug are unique per language instead of
across the table."""

import uuid

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


def make_existing_rows_japanese_sources(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    locale = Locale.objects.filter(language_code="ja").first() or Locale.objects.order_by("pk").first()
    if locale is None:
        locale = Locale.objects.create(language_code="ja")
    for name in ("Topic", "Physician"):
        for row in apps.get_model("articles", name).objects.all():
            row.translation_key = uuid.uuid4()
            row.locale_id = locale.pk
            row.save(update_fields=["translation_key", "locale"])


def translatable_fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name=model_name,
            name="locale",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
    ]


def required(model_name):
    return [
        migrations.AlterField(
            model_name=model_name,
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterUniqueTogether(name=model_name, unique_together={("translation_key", "locale")}),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_workflow_names_in_japanese"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        *translatable_fields("topic"),
        *translatable_fields("physician"),
        migrations.RunPython(make_existing_rows_japanese_sources, migrations.RunPython.noop),
        *required("topic"),
        *required("physician"),
        migrations.AlterField(
            model_name="topic",
            name="name",
            field=models.CharField(max_length=60, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="topic",
            name="slug",
            field=models.SlugField(max_length=60, verbose_name="slug"),
        ),
        migrations.AlterField(
            model_name="topic",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="Only for the app's API; readers see the topic's translations.",
                max_length=60,
                verbose_name="name in English",
            ),
        ),
        migrations.AlterField(
            model_name="articlepage",
            name="topics",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                limit_choices_to={"locale__language_code": "ja"},
                related_name="articles",
                to="articles.topic",
                verbose_name="topics",
            ),
        ),
        migrations.AlterField(
            model_name="articlepage",
            name="physician",
            field=models.ForeignKey(
                help_text="The physician who supervises this article and approves each revision.",
                limit_choices_to={"locale__language_code": "ja"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="articles.physician",
                verbose_name="supervising physician",
            ),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(fields=("name", "locale"), name="articles_topic_name_per_locale"),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(fields=("slug", "locale"), name="articles_topic_slug_per_locale"),
        ),
    ]

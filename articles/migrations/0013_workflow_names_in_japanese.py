"""The workflow and task names the admin shows, in Japanese: editors read 「医療監修に提出する」, not
"Medical review に提出する". Code finds them by these names (articles.workflows); a name an
administrator already changed is left as it is."""

from django.db import migrations

# (old name, new name): the Medical review workflow and its task, and Wagtail's own default.
WORKFLOWS = [("Medical review", "医療監修"), ("Moderators approval", "モデレーターの承認")]
TASKS = [("Physician review", "医師の確認"), ("Moderators approval", "モデレーターの承認")]


def rename(apps, pairs_by_model):
    for model_name, pairs in pairs_by_model.items():
        model = apps.get_model("wagtailcore", model_name)
        for old, new in pairs:
            model.objects.filter(name=old).update(name=new)


def to_japanese(apps, schema_editor):
    rename(apps, {"Workflow": WORKFLOWS, "Task": TASKS})


def to_english(apps, schema_editor):
    swap = lambda pairs: [(new, old) for old, new in pairs]  # noqa: E731
    rename(apps, {"Workflow": swap(WORKFLOWS), "Task": swap(TASKS)})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_search_synonyms_everyday_words"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(to_japanese, to_english)]

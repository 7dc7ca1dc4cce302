"""The campaign approval workflow and its task, named in Japanese as the admin shows them (see
articles 0013); a name an administrator already changed is left as it is."""

from django.db import migrations

WORKFLOW = ("Campaign approval", "キャンペーンの承認")
TASK = ("Administrators approve the campaign", "管理者によるキャンペーンの承認")


def rename(apps, workflow, task):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=workflow[0]).update(name=workflow[1])
    apps.get_model("wagtailcore", "Task").objects.filter(name=task[0]).update(name=task[1])


def to_japanese(apps, schema_editor):
    rename(apps, WORKFLOW, TASK)


def to_english(apps, schema_editor):
    rename(apps, WORKFLOW[::-1], TASK[::-1])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0006_every_campaign_reviewed")]

    operations = [migrations.RunPython(to_japanese, to_english)]

"""The four default score bands (0–4 reading, 5–9 consultation, 10–14 and 15–27 counselling; the
psychiatrist sets the services and may move the bounds), and who may do what: editors write the
instrument, physicians (the psychiatrist) review it and set the bands, and the self-check report is
for physicians and administrators."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BANDS = [(1, 4, "reading"), (2, 9, "consultation"), (3, 14, "counselling"), (4, 27, "counselling")]


def seed(apps, schema_editor):
    ScoreBand = apps.get_model("screening", "ScoreBand")
    for level, max_total, route in BANDS:
        ScoreBand.objects.get_or_create(level=level, defaults={"max_total": max_total, "route": route})

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def grant(group_name, codenames):
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="screening", codename__in=codenames)
        )

    grant("Editors", ["add_instrument", "change_instrument", "view_instrument", "view_scoreband"])
    grant("Physicians", ["view_instrument", "change_scoreband", "view_scoreband", "view_checkrecord"])
    grant("Administrators", ["view_instrument", "view_scoreband", "view_checkrecord"])


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0001_initial"),
        ("articles", "0005_review_groups_and_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Editors keep the search synonyms (the README says so; the group had no permission for them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_searchsynonym" for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_finish_translatable_snippets"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

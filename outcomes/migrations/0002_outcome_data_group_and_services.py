"""The "Outcome data" group (the only one that sees PHQ-9 records) and the reported services."""

from django.db import migrations

OUTCOME_GROUP = "Outcome data"
SERVICES = [
    ("consultation", "子育て相談（電話・LINE）"),
    ("counselling", "産後カウンセリング"),
]


def create_group_and_services(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Service = apps.get_model("outcomes", "Service")

    group, _ = Group.objects.get_or_create(name=OUTCOME_GROUP)
    access, _ = Permission.objects.get_or_create(
        content_type=ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")[0],
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group.permissions.add(access)
    for model in ("counsellingoutcome", "serviceusage"):
        content_type, _ = ContentType.objects.get_or_create(app_label="outcomes", model=model)
        for action in ("add", "change", "view"):
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            group.permissions.add(permission)
    for code, name in SERVICES:
        Service.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_group_and_services, migrations.RunPython.noop)]

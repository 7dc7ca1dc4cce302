"""The "Consultation supervisors" group (reads every service's conversations and report) and the
city's starting list of closing topic codes (the city keeps the list in the admin)."""

from django.db import migrations

SUPERVISORS_GROUP = "Consultation supervisors"
CODES = [
    ("fever", "発熱・感染症", 10),
    ("feeding", "授乳・ミルク・離乳食", 20),
    ("skin", "皮膚・発疹", 30),
    ("pregnancy", "妊娠中の体調", 40),
    ("mood", "気分の落ち込み・不安", 50),
    ("family", "家族関係・育児負担", 60),
    ("other", "その他", 90),
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    CloseCode = apps.get_model("consultations", "CloseCode")

    group, _ = Group.objects.get_or_create(name=SUPERVISORS_GROUP)
    access, _ = Permission.objects.get_or_create(
        content_type=ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")[0],
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    supervise, _ = Permission.objects.get_or_create(
        content_type=ContentType.objects.get_or_create(app_label="consultations", model="conversation")[0],
        codename="supervise_conversations",
        defaults={"name": "Can read every service's conversations"},
    )
    group.permissions.add(access, supervise)
    for code, name, order in CODES:
        CloseCode.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

"""KPI permissions granted to groups; survey rounds that require an invitation; untokened answers
off the KPI.

- "Outcome data" gets both permissions; a new "KPI viewers" group and "Administrators" get the
  dashboard only (the health permission is taken back from Administrators, whose migration grants
  every permission that exists when it runs).
- Existing survey rounds keep their public link (``requires_invitation`` False: families may hold
  an announcement that points to it); new rounds require an invitation.
- The stored KPI setting stops counting untokened answers: one client posted 30 of them. Past
  figures that counted them are reproduced with the dashboard's "Include" choice.
"""

from django.db import migrations, models

PERMISSIONS = {
    "view_kpi_dashboard": "Can view the KPI dashboard, its exports and survey results",
    "view_health_outcomes": "Can view PHQ-9 figures, survey free text and case rows",
}
GRANTS = {
    "Outcome data": ["view_kpi_dashboard", "view_health_outcomes"],
    "KPI viewers": ["view_kpi_dashboard"],
    "Administrators": ["view_kpi_dashboard"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    KpiSettings = apps.get_model("outcomes", "KpiSettings")

    content_type, _ = ContentType.objects.get_or_create(app_label="outcomes", model="kpisettings")
    permissions = {
        codename: Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    }
    access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*access, *(permissions[codename] for codename in codenames))
    Group.objects.get(name="Administrators").permissions.remove(permissions["view_health_outcomes"])
    KpiSettings.objects.update(include_untokened_answers=False)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0003_announcement_says_where_to_tap"),
        ("articles", "0005_review_groups_and_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="kpisettings",
            options={
                "permissions": [
                    ("view_kpi_dashboard", "Can view the KPI dashboard, its exports and survey results"),
                    ("view_health_outcomes", "Can view PHQ-9 figures, survey free text and case rows"),
                ],
                "verbose_name": "KPI settings",
            },
        ),
        # Existing rounds keep their public link; the default for new rounds follows.
        migrations.AddField(
            model_name="surveypage",
            name="requires_invitation",
            field=models.BooleanField(default=False, verbose_name="requires an invitation"),
        ),
        migrations.AlterField(
            model_name="surveypage",
            name="requires_invitation",
            field=models.BooleanField(
                default=True,
                help_text="Checked: only families with their own link (LINE menu or app) can answer; the "
                "public link shows a notice instead of the form.",
                verbose_name="requires an invitation",
            ),
        ),
        migrations.AlterField(
            model_name="kpisettings",
            name="include_untokened_answers",
            field=models.BooleanField(
                default=False,
                help_text="Answers from the public link cannot be checked for repeats: one client can send "
                "many. They are always shown apart in the survey results.",
                verbose_name="count survey answers without an invitation token",
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]

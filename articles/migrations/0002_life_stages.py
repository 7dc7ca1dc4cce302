from django.db import migrations

from articles.enums import LifeStage


def create_life_stages(apps, schema_editor):
    model = apps.get_model("articles", "LifeStage")
    for order, code in enumerate(LifeStage.values):
        model.objects.update_or_create(code=code, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_life_stages, migrations.RunPython.noop)]

from django.db import migrations


def create_head(apps, schema_editor):
    # The single head row must exist before the first append: two writers racing to create it would collide.
    apps.get_model("ledger", "LogHead").objects.get_or_create(pk=1, defaults={"size": 0})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]

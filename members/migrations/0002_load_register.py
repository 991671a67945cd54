from django.db import migrations


def load(apps, schema_editor):
    from members.register import load_register

    load_register(apps.get_model("members", "County"), apps.get_model("members", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""The 17 UN Sustainable Development Goals as reference data (planning/sdgs.py)."""

from django.db import migrations



def load(apps, schema_editor):
    from planning.sdgs import load_goals

    load_goals(apps.get_model("planning", "SustainableGoal"))


def unload(apps, schema_editor):
    apps.get_model("planning", "SustainableGoal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_planning")]

    operations = [migrations.RunPython(load, unload)]

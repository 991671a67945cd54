"""Seats used to point at login accounts and carry a guardian permission; they are replaced
by posts (Seat), people (Person) and assignments in the next migration. The old rows are
demo data only (seed_demo recreates the new shape)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="Seat"),
        migrations.DeleteModel(name="BodyUserObjectPermission"),
        migrations.DeleteModel(name="BodyGroupObjectPermission"),
        migrations.AlterModelOptions(
            name="body",
            options={
                "ordering": ["ordering", "name"],
                "verbose_name": "body (organ)",
                "verbose_name_plural": "bodies",
            },
        ),
        migrations.RenameField(model_name="body", old_name="description", new_name="mandate"),
    ]

"""The legal affairs reviewer role (法制审核员): powers of the 法制大队 by role, not by unit."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="legal_reviewer")


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="legal_reviewer").delete()


class Migration(migrations.Migration):
    dependencies = [("officers", "0004_officer_must_change_password")]
    operations = [migrations.RunPython(create_group, remove_group)]

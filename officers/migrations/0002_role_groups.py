"""One group per role, so that every page and admin action can be restricted by role.

Permissions are granted to these groups by officers.services.roles_sync after
every migrate, since later apps add permissions of their own.
"""

from django.db import migrations

ROLES = ["legal_officer", "trainer", "mentor", "administrator"]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("officers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]

"""Document files move out of MEDIA_ROOT (served by nginx without a login) to
PRIVATE_MEDIA_ROOT; names in the database stay the same (see officers.storage).
The same move is `manage.py documents_make_private`."""

from django.db import migrations


def move(apps, schema_editor):
    from officers.storage import move_documents_to_private

    move_documents_to_private()


class Migration(migrations.Migration):
    dependencies = [("officers", "0006_audit_event")]
    operations = [migrations.RunPython(move, migrations.RunPython.noop)]

# Two lines of lessons migrations made side by side (the law catalogue and search
# words; the rotating venue code): joined here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0008_law_catalogue_and_search_words"),
        ("lessons", "0008_session_code_rotates"),
    ]

    operations = []

"""Top-level categories get unique names, as subcategories already had within their parent.

Existing duplicates (possible until now) are renamed first, the later ones as
"名称（2）", "名称（3）" …, so that nothing is lost and a trainer can merge them.
"""

from django.db import migrations, models


def rename_duplicate_top_level(apps, schema_editor):
    Category = apps.get_model("assessments", "Category")
    taken = set(Category.objects.filter(parent__isnull=True).values_list("name", flat=True))
    seen = set()
    for category in Category.objects.filter(parent__isnull=True).order_by("id"):
        if category.name not in seen:
            seen.add(category.name)
            continue
        n = 2
        while f"{category.name}（{n}）"[:100] in taken:
            n += 1
        category.name = f"{category.name}（{n}）"[:100]
        taken.add(category.name)
        category.save(update_fields=["name"])


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0008_question_law_version"),
    ]

    operations = [
        migrations.RunPython(rename_duplicate_top_level, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="category", name="category_unique_name_in_parent"),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(
                fields=("parent", "name"), name="category_unique_name_in_parent",
                violation_error_message="This category already has a subcategory of that name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", True)), fields=("name",), name="category_unique_top_level_name",
                violation_error_message="A top-level category of that name already exists.",
            ),
        ),
    ]

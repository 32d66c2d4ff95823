"""The defect types the legal affairs unit's inspections keep finding, so a new bureau starts with them."""

from django.db import migrations

DEFECT_TYPES = [
    "现场取证不到位", "违规调解", "未如实受立案", "超时限办案", "单人讯问", "涉案财物登记不清", "法律适用错误", "文书制作不规范",
]


def add_types(apps, schema_editor):
    DefectType = apps.get_model("assessments", "DefectType")
    for order, name in enumerate(DEFECT_TYPES):
        DefectType.objects.using(schema_editor.connection.alias).get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0005_case_review"),
    ]

    operations = [
        migrations.RunPython(add_types, migrations.RunPython.noop),
    ]

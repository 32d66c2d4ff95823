import pytest
from django.core.management import CommandError, call_command

from officers.models import Officer
from tests.factories.officers import UnitFactory


@pytest.mark.django_db
def test_import_officers_command(tmp_path, capsys):
    UnitFactory(name="东城派出所")
    sheet = tmp_path / "officers.csv"
    sheet.write_text("警号,姓名,所队,层级\n000123,张三,东城派出所,民警\n", encoding="utf-8")
    call_command("import_officers", str(sheet))
    assert "新增 1 名" in capsys.readouterr().out
    assert Officer.objects.filter(police_number="000123").exists()


@pytest.mark.django_db
def test_import_officers_command_lists_errors_and_fails(tmp_path, capsys):
    sheet = tmp_path / "officers.csv"
    sheet.write_text("警号,姓名,所队,层级\n000123,,无此所,民警\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_officers", str(sheet))
    err = capsys.readouterr().err
    assert "第 2 行" in err and "缺少姓名" in err and "未知所队" in err
    assert Officer.objects.count() == 0


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    count = Officer.objects.count()
    call_command("seed_demo")
    assert Officer.objects.count() == count >= 300
    out = capsys.readouterr().out
    assert "000001" in out and "Yongjing@2024" in out

import io

import pytest
from openpyxl import Workbook, load_workbook

from officers.models import Officer
from officers.roles import Role, Tier
from officers.services import (
    OFFICER_SHEET_HEADER,
    officer_import_template,
    officers_import,
)
from officers.sheets import ImportRejected
from tests.factories.officers import OfficerFactory, UnitFactory


def xlsx(rows, header=OFFICER_SHEET_HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def units(db):
    return UnitFactory(name="东城派出所"), UnitFactory(name="刑侦大队")


def test_good_sheet_creates_officers_with_roles(units):
    data = xlsx(
        [
            ["000123", "张三", "东城派出所", "民警", "法制员", "2015-07-01", "是"],
            ["000456", "李四", "刑侦大队", "中层", "教官、师傅", "2008-09-01", None],
            [789, "王五", "东城派出所", "新警", None, None, "否"],
        ]
    )
    result = officers_import(data=data, filename="officers.xlsx")

    assert (result.created, result.updated) == (3, 0)
    zhang = Officer.objects.get(police_number="000123")
    assert zhang.name == "张三" and zhang.unit.name == "东城派出所" and zhang.tier == Tier.OFFICER
    assert zhang.role_codes == {Role.LEGAL_OFFICER}
    assert Officer.objects.get(police_number="000456").role_codes == {Role.TRAINER, Role.MENTOR}
    wang = Officer.objects.get(police_number="000789")  # a number cell loses its zeros
    assert wang.tier == Tier.RECRUIT and not wang.is_active
    assert not wang.has_usable_password()


def test_csv_sheet_is_accepted(units):
    text = "警号,姓名,所队,层级,角色\n000123,张三,东城派出所,民警,\n"
    result = officers_import(data=text.encode("utf-8-sig"), filename="officers.csv")
    assert result.created == 1


def test_gbk_csv_from_excel_is_accepted(units):
    text = "警号,姓名,所队,层级\n000123,张三,东城派出所,民警\n"
    result = officers_import(data=text.encode("gb18030"), filename="officers.csv")
    assert Officer.objects.get(police_number="000123").name == "张三"
    assert result.created == 1


def test_bad_rows_are_all_named_and_nothing_is_saved(units):
    data = xlsx(
        [
            ["000123", "张三", "东城派出所", "民警", None, None, None],
            ["000123", "张三丰", "东城派出所", "民警", None, None, None],  # duplicate
            ["000200", "李四", "不存在派出所", "民警", None, None, None],  # unknown unit
            ["000300", "王五", "东城派出所", "警长", None, None, None],  # unknown tier
            ["000400", None, "东城派出所", "民警", None, None, None],  # missing name
            ["12ab", "赵六", "东城派出所", "民警", "队长", "昨天", None],  # three problems
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=data, filename="officers.xlsx")

    found = {(e.row, e.column) for e in rejected.value.errors}
    assert found == {
        (3, "警号"),
        (4, "所队"),
        (5, "层级"),
        (6, "姓名"),
        (7, "警号"),
        (7, "角色"),
        (7, "入警日期"),
    }
    messages = {(e.row, e.column): e.message for e in rejected.value.errors}
    assert "重复" in messages[(3, "警号")] and "第 2 行" in messages[(3, "警号")]
    assert "不存在派出所" in messages[(4, "所队")]
    assert "警长" in messages[(5, "层级")]
    assert Officer.objects.count() == 0


def test_missing_column_is_reported(units):
    data = xlsx([["000123", "张三"]], header=["警号", "姓名"])
    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=data, filename="officers.xlsx")
    assert {e.column for e in rejected.value.errors} == {"所队", "层级"}


def test_not_a_sheet_is_reported(units):
    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=b"not a workbook", filename="officers.xlsx")
    assert "无法" in rejected.value.errors[0].message


def test_reimport_updates_and_never_duplicates(units):
    existing = OfficerFactory(police_number="000123", name="张三", roles=[Role.MENTOR])
    first = xlsx([["000123", "张三", "刑侦大队", "中层", "教官", None, "是"]])
    result = officers_import(data=first, filename="a.xlsx")
    assert (result.created, result.updated) == (0, 1)
    result = officers_import(data=first, filename="a.xlsx")
    assert (result.created, result.updated) == (0, 1)

    assert Officer.objects.filter(police_number="000123").count() == 1
    existing = Officer.objects.get(pk=existing.pk)
    assert existing.unit.name == "刑侦大队" and existing.tier == Tier.MID_LEVEL
    assert existing.role_codes == {Role.TRAINER}
    assert existing.has_usable_password()  # an update keeps the officer's password


def test_the_template_unchanged_saves_nobody(units):
    # Its examples sit on a sheet of their own: 000123 could be a real officer.
    workbook = load_workbook(io.BytesIO(officer_import_template()))
    assert [c.value for c in workbook.worksheets[0][1]] == OFFICER_SHEET_HEADER
    assert workbook.worksheets[0].max_row == 1
    assert [c.value for c in workbook.worksheets[2][2]][:2] == ["000123", "张三"]
    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=officer_import_template(), filename="template.xlsx")
    assert "没有民警" in str(rejected.value.errors[0]) or "没有" in str(rejected.value.errors[0])
    assert Officer.objects.count() == 0


def test_a_reimport_without_the_optional_columns_keeps_roles_dates_and_status(units):
    import datetime as dt

    mentor = OfficerFactory(police_number="300001", roles=[Role.MENTOR], joined_force_on=dt.date(2010, 7, 1), is_active=False)
    data = xlsx([["300001", "刘师傅", "东城派出所", "民警"]], header=["警号", "姓名", "所队", "层级"])
    result = officers_import(data=data, filename="officers.xlsx")
    mentor.refresh_from_db()
    assert result.updated == 1 and mentor.name == "刘师傅" and mentor.unit.name == "东城派出所"
    assert mentor.role_codes == {Role.MENTOR}
    assert mentor.joined_force_on == dt.date(2010, 7, 1) and not mentor.is_active


def test_a_damaged_file_is_refused_in_chinese(units):
    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=b"PK\x03\x04 not really a workbook", filename="officers.xlsx")
    message = str(rejected.value.errors[0])
    assert "无法读取" in message and "zip" not in message

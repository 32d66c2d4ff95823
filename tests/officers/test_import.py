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


# --- limits and formulas (issue 8, bad input) ------------------------------------------


def test_a_sheet_of_100000_rows_is_refused_quickly_and_in_chinese(units):
    import time

    from officers.sheets import SHEET_MAX_ROWS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(OFFICER_SHEET_HEADER)
    for n in range(100_000):
        sheet.append([f"{n:06d}", "张三", "东城派出所", "民警"])
    out = io.BytesIO()
    workbook.save(out)
    started = time.perf_counter()
    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=out.getvalue(), filename="officers.xlsx")
    assert time.perf_counter() - started < 10
    (error,) = rejected.value.errors
    assert f"超过 {SHEET_MAX_ROWS} 行" in error.message
    assert not Officer.objects.exists()


def test_a_sheet_that_unpacks_beyond_the_limit_is_refused_before_it_is_parsed(units, monkeypatch):
    """An .xlsx is a zip: 5 MB of it can unpack to gigabytes of XML (a "zip bomb"), which
    openpyxl would parse whole to find the sheet's size. The unpacked size is checked first."""
    import zipfile

    from officers import sheets

    monkeypatch.setattr(sheets, "SHEET_MAX_UNPACKED_BYTES", 1024 * 1024)
    small = xlsx([["000123", "张三", "东城派出所", "民警"]])
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</worksheet>", b"<!--" + b" " * (2 * 1024 * 1024) + b"--></worksheet>")
            target.writestr(item.filename, body)
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=bomb.getvalue(), filename="officers.xlsx")
    (error,) = rejected.value.errors
    assert "解压" in error.message and "1 MB" in error.message
    assert not Officer.objects.exists()
    assert sheets.read_rows(small, "officers.xlsx")[1]  # a small sheet is still read


def test_a_sheet_at_the_row_limit_is_still_read(units):
    from officers.sheets import SHEET_MAX_ROWS, read_rows

    data = xlsx([[f"{n:06d}", "张三", "东城派出所", "民警"] for n in range(SHEET_MAX_ROWS)])
    header, rows = read_rows(data, "officers.xlsx")
    assert len(rows) == SHEET_MAX_ROWS


def test_an_over_long_cell_is_refused_and_errors_stay_short(units):
    from officers.sheets import ROW_ERROR_MAX_CHARS, SHEET_MAX_CELL_CHARS

    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=xlsx([["000123", "张三", "东" * (SHEET_MAX_CELL_CHARS + 1), "民警"]]),
                        filename="officers.xlsx")
    assert f"最多 {SHEET_MAX_CELL_CHARS} 个字符" in rejected.value.errors[0].message
    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=xlsx([["000123", "张三", "东" * 4000, "民警"]]), filename="officers.xlsx")
    assert all(len(e.message) <= ROW_ERROR_MAX_CHARS for e in rejected.value.errors)


def test_an_upload_larger_than_the_limit_is_refused_by_the_form():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from officers.forms import OfficerImportForm
    from officers.sheets import SHEET_MAX_BYTES, SHEET_MAX_ROWS

    big = SimpleUploadedFile("officers.xlsx", b"0" * (SHEET_MAX_BYTES + 1))
    form = OfficerImportForm(data={}, files={"sheet": big})
    assert not form.is_valid()
    assert "MB" in form.errors["sheet"][0] and "最多" in form.errors["sheet"][0]
    assert str(SHEET_MAX_ROWS) in str(OfficerImportForm().fields["sheet"].help_text)


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x.example/\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "=1+1"])
def test_exports_write_text_as_text_never_as_a_formula(text):
    from officers.sheets import workbook_sheets_bytes

    data = workbook_sheets_bytes(sheets=[("名单", ["姓名", "分数"], [[text, 90], ["张三", -5]])])
    sheet = load_workbook(io.BytesIO(data)).active
    cell = sheet["A2"]
    assert cell.value == text and cell.data_type == "s"
    assert cell.quotePrefix
    assert sheet["B3"].value == -5 and sheet["B3"].data_type == "n"  # numbers stay numbers
    assert b"<f>" not in _sheet_xml(data)


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_a_recruit_is_never_made_a_mentor_by_the_sheet(units):
    data = xlsx([["000500", "钱新", "东城派出所", "新警", "师傅", None, None]])
    with pytest.raises(ImportRejected) as rejected:
        officers_import(data=data, filename="officers.xlsx")
    [error] = rejected.value.errors
    assert (error.row, error.column) == (2, "角色") and "新警" in error.message
    assert Officer.objects.count() == 0

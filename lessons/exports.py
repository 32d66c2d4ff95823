"""Report workbooks of the lecture hall (course dashboard, yearly training hours):
title rows saying what the sheet is, a header with filters, real dates, and
column widths that fit Chinese names. Every row goes through officers.sheets.sheet_append
(text stays text, never a formula)."""

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from officers.sheets import sheet_append, sheet_title

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass
class ReportSheet:
    title: str
    title_rows: Sequence[str]
    header: Sequence[str]
    rows: list = field(default_factory=list)


def display_width(value) -> int:
    """Columns a value takes in a spreadsheet: a Chinese character is two."""
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_value(value):
    # A spreadsheet has no time zones: write the bureau's local time.
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def report_workbook_bytes(*, sheets: Sequence[ReportSheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for report in sheets:
        name = sheet_title(report.title)
        suffix = 2
        while name in used:
            name = sheet_title(f"{report.title[:27]}_{suffix}")
            suffix += 1
        used.add(name)
        sheet = workbook.create_sheet(name)
        for index, line in enumerate(report.title_rows):
            sheet_append(sheet, [line])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=index == 0, size=14 if index == 0 else 11)
        header_row = len(report.title_rows) + 1
        sheet_append(sheet, [str(h) for h in report.header])
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6F4")
            cell.alignment = Alignment(vertical="center")
        widths = [display_width(h) for h in report.header]
        for row in report.rows:
            sheet_append(sheet, [_cell_value(v) for v in row])
            for column, value in enumerate(row):
                cell = sheet.cell(row=sheet.max_row, column=column + 1)
                if isinstance(value, dt.datetime):
                    cell.number_format = DATETIME_FORMAT
                elif isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
                if column < len(widths):
                    widths[column] = max(widths[column], display_width(value))
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(60, max(8, width + 2))
        last_column = get_column_letter(max(1, len(report.header)))
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{max(header_row, sheet.max_row)}"
        sheet.freeze_panes = f"A{header_row + 1}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

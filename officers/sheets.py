"""Reading and writing spreadsheets (.xlsx, .csv) for every import in the platform."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter


class SheetError(Exception):
    """The file cannot be read as a sheet at all."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number a person sees in their spreadsheet program
    values: dict[str, object]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRejected(Exception):
    """A sheet with bad rows; nothing was saved. `errors` names every one."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_rows(data: bytes, filename: str) -> tuple[list[str], list[SheetRow]]:
    """The header and the non-empty rows of the first sheet of an .xlsx or a .csv."""
    name = filename.lower()
    try:
        if name.endswith(".csv"):
            text = data.decode("utf-8-sig") if not _looks_gbk(data) else data.decode("gb18030")
            table = list(csv.reader(io.StringIO(text)))
        elif name.endswith(".xlsx"):
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            table = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
            workbook.close()
        else:
            raise SheetError(_("Only .xlsx and .csv sheets can be read."))
    except SheetError:
        raise
    except Exception as error:  # a corrupt or mislabelled file
        raise SheetError(
            _("The file could not be read as a sheet: it may be damaged, or not really an .xlsx or .csv file.")
        ) from error
    if not table:
        raise SheetError(_("The sheet is empty."))
    header = [str(_clean(h) or "") for h in table[0]]
    rows = []
    for index, raw in enumerate(table[1:], start=2):
        values = {h: _clean(v) for h, v in zip(header, raw, strict=False) if h}
        if any(v is not None for v in values.values()):
            rows.append(SheetRow(index, values))
    return header, rows


def _looks_gbk(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    return False


def parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(text)


def workbook_bytes(
    *, title: str, header: Sequence[str], rows: Iterable[Sequence[object]], notes: Sequence[str] = ()
) -> bytes:
    """An .xlsx with a bold header row (and optional notes on a second sheet)."""
    sheets = [(title, header, rows)]
    if notes:
        sheets.append((_("Instructions"), [_("Instructions")], [[note] for note in notes]))
    return workbook_sheets_bytes(sheets=sheets)


def workbook_sheets_bytes(
    *, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]]
) -> bytes:
    """An .xlsx of several sheets, each (title, header, rows), headers bold and frozen."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(str(title)[:31])
        sheet.append([str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6F4")
        for row in rows:
            sheet.append(list(row))
        for index, name in enumerate(header, start=1):
            width = 100 if len(header) == 1 else max(12, len(str(name)) * 3)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

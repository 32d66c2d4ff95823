"""Reading and writing spreadsheets (.xlsx, .csv) for every import in the platform."""

import csv
import datetime as dt
import io
import re
import zipfile
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


# An import page lists at most this many row errors (the count says how many there were),
# and each message is cut to ROW_ERROR_MAX_CHARS: a sheet of long bad cells stays a short page.
ROW_ERRORS_SHOWN = 200
ROW_ERROR_MAX_CHARS = 300


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __post_init__(self):
        object.__setattr__(self, "column", str(self.column)[:60])
        if len(self.message) > ROW_ERROR_MAX_CHARS:
            object.__setattr__(self, "message", self.message[: ROW_ERROR_MAX_CHARS - 1] + "…")

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


# Limits of every sheet import (officers, question bank): stated on the import pages.
SHEET_MAX_BYTES = 5 * 1024 * 1024  # an upload larger than this is refused before it is read
SHEET_MAX_ROWS = 5000  # rows with content below the header; a bureau has about 2,000 officers
SHEET_MAX_CELL_CHARS = 5000  # the longest text one cell may hold (a question's stem or explanation)
# What the .xlsx (a zip) may unpack to: 5,000 long bank questions are about 11 MB.
SHEET_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Blank rows are skipped, but reading stops after this many rows of any kind, so a
# sheet formatted down to row 1,048,576 costs no more than a full one.
_SHEET_MAX_SCANNED = SHEET_MAX_ROWS * 4


def sheet_upload_check(upload) -> None:
    """Refuse an uploaded sheet over SHEET_MAX_BYTES before reading it (forms call this)."""
    from django.core.exceptions import ValidationError

    if upload.size > SHEET_MAX_BYTES:
        raise ValidationError(
            _("The file is %(actual)s MB; a sheet may be at most %(size)s MB.")
            % {"actual": round(upload.size / (1024 * 1024), 1), "size": SHEET_MAX_BYTES // (1024 * 1024)}
        )


def _too_many_rows() -> SheetError:
    return SheetError(
        _("The sheet has more than %(limit)s rows: split it into sheets of at most %(limit)s rows "
          "and import them one after another.") % {"limit": SHEET_MAX_ROWS}
    )


def _raw_rows(data: bytes, name: str):
    """The sheet's rows as lists, read as a stream (an .xlsx in openpyxl's read-only mode)."""
    if name.endswith(".csv"):
        text = data.decode("utf-8-sig") if not _looks_gbk(data) else data.decode("gb18030")
        yield from csv.reader(io.StringIO(text))
    elif name.endswith(".xlsx"):
        # An .xlsx is a zip: a few MB of it may unpack to gigabytes of XML, which openpyxl
        # parses whole (to find the sheet's size) before the first row. Sizes first.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > SHEET_MAX_UNPACKED_BYTES:
            raise SheetError(
                _("The sheet holds %(actual)s MB of data once unpacked; a sheet may hold at most %(limit)s MB. "
                  "Split it, or save it again without empty formatted rows.")
                % {"actual": round(unpacked / (1024 * 1024)), "limit": SHEET_MAX_UNPACKED_BYTES // (1024 * 1024)}
            )
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            workbook.close()
    else:
        raise SheetError(_("Only .xlsx and .csv sheets can be read."))


def read_rows(data: bytes, filename: str) -> tuple[list[str], list[SheetRow]]:
    """The header and the non-empty rows of the first sheet of an .xlsx or a .csv.

    The sheet is read as a stream and refused (SheetError, in words) once it is
    larger than SHEET_MAX_BYTES, holds more than SHEET_MAX_ROWS rows or a cell
    longer than SHEET_MAX_CELL_CHARS: reading stops there, whatever follows.
    """
    if len(data) > SHEET_MAX_BYTES:
        raise SheetError(_("The file is larger than %(size)s MB.") % {"size": SHEET_MAX_BYTES // (1024 * 1024)})
    header: list[str] | None = None
    rows: list[SheetRow] = []
    try:
        for index, raw in enumerate(_raw_rows(data, filename.lower()), start=1):
            if index > _SHEET_MAX_SCANNED:
                raise _too_many_rows()
            for column, value in enumerate(raw, start=1):
                if isinstance(value, str) and len(value) > SHEET_MAX_CELL_CHARS:
                    raise SheetError(
                        _("Row %(row)s, column %(column)s holds %(length)s characters; a cell may hold "
                          "at most %(limit)s.") % {"row": index, "column": get_column_letter(column),
                                                    "length": len(value), "limit": SHEET_MAX_CELL_CHARS}
                    )
            if header is None:
                header = [str(_clean(h) or "") for h in raw]
                continue
            values = {h: _clean(v) for h, v in zip(header, raw, strict=False) if h}
            if any(v is not None for v in values.values()):
                if len(rows) >= SHEET_MAX_ROWS:
                    raise _too_many_rows()
                rows.append(SheetRow(index, values))
    except SheetError:
        raise
    except Exception as error:  # a corrupt or mislabelled file
        raise SheetError(
            _("The file could not be read as a sheet: it may be damaged, or not really an .xlsx or .csv file.")
        ) from error
    if header is None:
        raise SheetError(_("The sheet is empty."))
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


# A text starting with one of these is read as a formula by spreadsheet programs
# (=HYPERLINK(...), +cmd, -2+3, @SUM, or a tab/CR that hides it) when typed or re-edited.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def sheet_append(sheet, values: Iterable[object]) -> None:
    """Append one row, every text written as text: a name such as “=HYPERLINK(…)” taken
    from an imported sheet never becomes a live formula in an export. openpyxl would
    store a leading “=” as a formula; here the cell is typed as a string, and text that
    a spreadsheet program would read as a formula when edited gets Excel's quote prefix.
    Every export of the platform writes its rows through this function."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        value = cell.value
        if isinstance(value, str):
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


def sheet_title(title: object) -> str:
    """A sheet name Excel accepts, from any title (a course's, a round's): at most 31
    characters, none of / \\ ? * [ ] :, no apostrophe at either end."""
    name = re.sub(r"[/\\?*\[\]:]", "_", str(title))[:31].strip("'")
    return name or "Sheet"


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
        sheet = workbook.create_sheet(sheet_title(title))
        sheet_append(sheet, [str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6F4")
        for row in rows:
            sheet_append(sheet, row)
        for index, name in enumerate(header, start=1):
            width = 100 if len(header) == 1 else max(12, len(str(name)) * 3)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

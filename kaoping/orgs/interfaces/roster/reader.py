"""Reading a roster workbook into records keyed by column header, with the sheet's row numbers.

Columns are found by their header text, so a sheet whose columns were reordered, or which has
extra columns of its own, still reads. The header may sit under a merged title row (our
template) or on the first row (a sheet someone made by hand).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from kaoping.orgs.interfaces.roster.columns import COLUMNS, HEADER_LOOKUP, normalize_header, text_of

HEADER_SEARCH_ROWS = 5
MAX_ROWS = 5000


class RosterFileError(Exception):
    """The upload is not a workbook we can read at all; the message is for the UI."""


@dataclass
class Sheet:
    columns: dict[str, int] = field(default_factory=dict)  # header → 0-based column index
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_first_sheet(fileobj):
    """The workbook's first sheet. Not read-only mode: it hides merged cells' ranges."""
    try:
        workbook = load_workbook(fileobj, data_only=True)
    except Exception as exc:
        # Not a zip (BadZipFile), not a workbook (InvalidFileException, KeyError) or a part
        # that does not parse (XML and value errors of every kind): all the same to the user.
        raise RosterFileError(_("The file is not a readable .xlsx workbook.")) from exc
    if not workbook.worksheets:
        raise RosterFileError(_("The workbook has no sheet."))
    return workbook.worksheets[0]


def find_header(rows: list[tuple]) -> tuple[int, dict[str, int], list[str]]:
    """(index of the header row, header → column, errors) from the first rows of a sheet."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        errors: list[str] = []
        for col, cell in enumerate(row):
            column = HEADER_LOOKUP.get(normalize_header(cell))
            if column is None:
                continue
            if column.header in found:
                errors.append(f"表头『{column.header}』出现了不止一次")
            else:
                found[column.header] = col
        if found:
            return index, found, errors
    return -1, {}, ["没有找到表头，请使用下载的模板"]


def read_sheet(fileobj) -> Sheet:
    """Records of the roster's data rows; blank rows are skipped, not reported."""
    worksheet = open_first_sheet(fileobj)
    # Bounded by the sheet's own extent: asking beyond it makes openpyxl create empty cells.
    last_row = min(worksheet.max_row, MAX_ROWS + HEADER_SEARCH_ROWS + 1)
    rows = list(worksheet.iter_rows(values_only=True, max_row=last_row))
    header_index, columns, errors = find_header(rows)
    sheet = Sheet(columns=columns, errors=errors)
    if header_index < 0:
        return sheet
    for column in COLUMNS:
        if column.required and column.header not in columns:
            sheet.errors.append(f"表头缺少『{column.header}』列")
    for index, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        record = {h: row[c] if c < len(row) else None for h, c in columns.items()}
        if any(text_of(v) for v in record.values()):
            sheet.records.append((index, record))
    if len(sheet.records) > MAX_ROWS:
        sheet.errors.append(f"一次最多导入{MAX_ROWS}行，请分批导入")
    if not sheet.records and not sheet.errors:
        sheet.errors.append("表中没有可导入的数据行")
    return sheet

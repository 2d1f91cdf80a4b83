"""Workbook writers: streamed tables (xlsxwriter, constant memory) and score sheets in the
document's own layout, drawn by the clerk's workbook code (`kaoping.scoring.workbook`).

The web exports and the CLI print exactly the same 得分表 (one layout, one place).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.core.spreadsheet_safety import safe_row, safe_text
from kaoping.scoring.workbook import columns_for
from kaoping.scoring.workbook.messages import GUIDE, SHEET
from kaoping.scoring.workbook.template import safe_title, write_sheet

TITLE_ROW = 0  # xlsxwriter rows count from 0


def write_table(out, *, sheet: str, title: str, groups: list[tuple[str, int]], header: list[str],
                rows: Iterable[list], freeze_cols: int = 0) -> int:  # fmt: skip
    """A title row, an optional merged group row, a header row, then `rows` streamed one by one
    (constant memory: each row is flushed as soon as the next starts). Returns the row count."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = book.add_worksheet(sheet)
    bold = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1,
                            "bg_color": "#D9E1F2", "text_wrap": True})  # fmt: skip
    big = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, len(header) - 1, safe_text(title), big)
    row = 1
    if groups:
        column = 0
        for label, width in groups:
            if width > 1:
                ws.merge_range(row, column, row, column + width - 1, label, bold)
            else:
                ws.write(row, column, label, bold)
            column += width
        row += 1
    ws.write_row(row, 0, header, bold)
    ws.freeze_panes(row + 1, freeze_cols)
    ws.repeat_rows(0, row)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_column(0, 1, 18)
    count = 0
    for values in rows:
        row += 1
        count += 1
        ws.write_row(row, 0, safe_row(values))
    book.close()
    return count


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _unique(book, title: str) -> str:
    base, n = title, 1
    while title in book.sheetnames:
        n += 1
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
    return title


def _add_guide(book) -> None:
    guide = book.create_sheet(SHEET["guide_name"])
    guide.column_dimensions["A"].width = 110
    for row, line in enumerate(GUIDE, start=1):
        cell = guide.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)


def write_filled_sheets(out, sheets, **kwargs) -> int:
    """One worksheet per submitted sheet in the 得分表 layout (streamed: see xlsx_sheets)."""
    from kaoping.reports.interfaces.xlsx_sheets import write_filled_sheets as write

    return write(out, sheets, **kwargs)


def _rater_name(user) -> str:
    return user.full_name or user.username


def write_blank_sheets(out, assignments) -> int:
    """Blank paper sheets: one worksheet per assignment (organization), printable on A4, with
    the template's data validation on every score cell, and the 填表说明 sheet last."""
    book = Workbook()
    book.remove(book.active)
    for assignment in assignments:
        rubric = rubric_of(assignment.participant.rubric)
        org = assignment.participant.organization.name
        ws = book.create_sheet(_unique(book, safe_title(org)))
        write_sheet(ws, rubric, columns_for(rubric), organization=org,
                     rater=_rater_name(assignment.rater))  # fmt: skip
    _add_guide(book)
    book.save(out)
    return len(book.worksheets) - 1

"""Write a blank score sheet (得分表) for a rubric, in the document's own layout.

One worksheet per organization × rater; a last worksheet 填表说明 explains how each rule kind is
entered. The 得分 of deduction items is an Excel formula for the rater's eyes only: `kaoping score`
recomputes every score from the entries and never reads a formula's result.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.core.spreadsheet_safety import safe_text
from kaoping.scoring.model import Rubric
from kaoping.scoring.rules.base import fmt

from .layout import CHOICE, DECIMAL, DEDUCT, WHOLE, Columns, PlannedRow, columns_for, plan_section
from .messages import GUIDE, SHEET

__all__ = ["FIELD_ROWS", "HEADER_ROW", "safe_title", "write_template"]

TITLE_ROW = 1
FIELD_ROWS = (2, 3)
HEADER_ROW = 4

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT = PatternFill("solid", fgColor="FFF2CC")
_COMPUTED = PatternFill("solid", fgColor="EDEDED")
_HEAD = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WIDTHS = {"seq": 5, "section": 12, "code": 8, "text": 42, "standard": 30, "points": 6,
           "deduct": 7, "note": 18, "score": 8}  # fmt: skip
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def safe_title(name: str) -> str:
    """A worksheet title Excel accepts: no []:*?/\\ and at most 31 characters."""
    return (name.translate(_BAD_TITLE).strip("'") or "_")[:31]


def write_template(
    rubric: Rubric,
    path: str | Path,
    *,
    organization: str = "",
    rater: str = "",
    count: int = 1,
) -> int:
    """Write `count` identical blank worksheets for `rubric` to `path`; return the item count."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    cols = columns_for(rubric)
    for n in range(1, count + 1):
        if count == 1 and organization:
            title = safe_title("-".join(x for x in (organization, rater) if x))
        else:
            title = SHEET["default_name"].format(n=n)
        sheet = workbook.create_sheet(title)
        write_sheet(sheet, rubric, cols, organization=organization, rater=rater)
    guide = workbook.create_sheet(SHEET["guide_name"])
    guide.column_dimensions["A"].width = 110
    for row, line in enumerate(GUIDE, start=1):
        cell = guide.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)
    workbook.save(path)
    return len(rubric.items)


def write_sheet(ws: Worksheet, rubric: Rubric, cols: Columns, *, organization: str,
                 rater: str) -> None:  # fmt: skip
    last = get_column_letter(cols.last)
    for role, width in _WIDTHS.items():
        number = getattr(cols, role)
        if number is not None:
            ws.column_dimensions[get_column_letter(number)].width = width
    # title row, merged across the table
    title = ws.cell(row=TITLE_ROW, column=1, value=rubric.title)
    title.font = Font(bold=True, size=16)
    title.alignment = _CENTER
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 32
    # fields: label (merged A:B), value (C:E); label F, value G:last
    _field(ws, FIELD_ROWS[0], 1, 2, SHEET["org"], 3, 5, organization)
    _field(ws, FIELD_ROWS[0], 6, 6, SHEET["rater"], 7, cols.last, rater)
    _field(ws, FIELD_ROWS[1], 1, 2, SHEET["date"], 3, 5, "")
    rubric_ref = SHEET["rubric_value"].format(id=rubric.id, version=rubric.version)
    _field(ws, FIELD_ROWS[1], 6, 6, SHEET["rubric"], 7, cols.last, rubric_ref, fill=False)
    # table header
    for column, text in cols.header():
        cell = ws.cell(row=HEADER_ROW, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = _CENTER
        cell.fill = _HEAD
        cell.border = _BORDER
    validations = _Validations()
    row = HEADER_ROW + 1
    first_row = row
    deduction_only = all(
        item.kind == "deduction" for item in rubric.items.values()
    )  # fmt: skip
    for section in rubric.sections:
        planned = plan_section(rubric, section)
        start = row
        for index, spec in enumerate(planned):
            _write_row(ws, row, spec, cols, validations, planned, index)
            row += 1
        end = row - 1
        ws.cell(row=start, column=cols.seq, value=section.code)
        points = fmt(section.points)
        label = SHEET["section_title"].format(title=section.title, points=points) \
            if section.points else section.title  # fmt: skip
        ws.cell(row=start, column=cols.section, value=label)
        for column in (cols.seq, cols.section):
            ws.cell(row=start, column=column).alignment = _CENTER
            if end > start:
                ws.merge_cells(start_row=start, start_column=column, end_row=end,
                               end_column=column)  # fmt: skip
    # total row
    ws.cell(row=row, column=cols.section, value=SHEET["total"]).font = Font(bold=True)
    ws.cell(row=row, column=cols.points, value=rubric.full_marks).number_format = "General"
    if deduction_only:
        score = get_column_letter(cols.score)
        ws.cell(row=row, column=cols.score, value=f"=SUM({score}{first_row}:{score}{row - 1})")
        ws.cell(row=row, column=cols.score).fill = _COMPUTED
    else:
        ws.cell(row=row, column=cols.text, value=SHEET["total_by_tool"])
    for column in range(1, cols.last + 1):
        ws.cell(row=row, column=column).border = _BORDER
    validations.attach(ws)
    _print_setup(ws, cols)


def _field(ws: Worksheet, row: int, c1: int, c2: int, label: str, v1: int, v2: int, value: str,
           *, fill: bool = True) -> None:  # fmt: skip
    cell = ws.cell(row=row, column=c1, value=f"{label}：")
    cell.font = Font(bold=True)
    cell.alignment = Alignment(horizontal="right", vertical="center")
    if c2 > c1:
        ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)
    target = ws.cell(row=row, column=v1, value=safe_text(value) or None)
    target.alignment = Alignment(horizontal="left", vertical="center")
    target.border = Border(bottom=_THIN)
    if fill:
        target.fill = _INPUT
    if v2 > v1:
        ws.merge_cells(start_row=row, start_column=v1, end_row=row, end_column=v2)


def _write_row(ws: Worksheet, row: int, spec: PlannedRow, cols: Columns, validations,
               planned: list[PlannedRow], index: int) -> None:  # fmt: skip
    ws.cell(row=row, column=cols.code, value=spec.code)
    # Custom items are typed by organizations: their text is never a formula (see safe_text).
    ws.cell(row=row, column=cols.text, value=safe_text(spec.text) or None)
    ws.cell(row=row, column=cols.standard, value=safe_text(spec.standard) or None)
    points = spec.points
    ws.cell(row=row, column=cols.points, value=_number(points))
    for column in range(1, cols.last + 1):
        cell = ws.cell(row=row, column=column)
        cell.border = _BORDER
        cell.alignment = _CENTER if column in (cols.code, cols.points, cols.score,
                                               cols.deduct) else _WRAP  # fmt: skip
    if spec.sub is not None:
        ws.cell(row=row, column=cols.text).alignment = Alignment(
            wrap_text=True, indent=1, vertical="center"
        )
    if spec.fill_text:
        ws.cell(row=row, column=cols.text).fill = _INPUT
    p = get_column_letter(cols.points)
    s = get_column_letter(cols.score)
    if spec.formula == "deduction":
        d = get_column_letter(cols.deduct)
        ws.cell(
            row=row, column=cols.score, value=f'=IF({d}{row}="",{p}{row},MAX(0,{p}{row}-{d}{row}))'
        )
    elif spec.formula == "checklist":
        a, b = row + 1, row + spec.subs
        ws.cell(
            row=row,
            column=cols.score,
            value=f'=MIN({p}{row},SUMIF({s}{a}:{s}{b},"{SHEET["yes"]}",{p}{a}:{p}{b}))',
        )
    elif spec.formula == "graded":
        d = get_column_letter(cols.deduct)
        a, b = row + 1, row + spec.subs
        ws.cell(
            row=row,
            column=cols.score,
            value=f"=MAX(0,{p}{row}-SUMPRODUCT({p}{a}:{p}{b},{d}{a}:{d}{b}))",
        )
    if spec.input is None and spec.sub is None and spec.subs:
        cell = ws.cell(row=row, column=cols.score)
        if cell.value is None:
            cell.value = SHEET["by_tool"] if _has_points(spec) else None
        cell.fill = _COMPUTED
    if spec.formula:
        ws.cell(row=row, column=cols.score).fill = _COMPUTED
    if spec.input is not None:
        column = cols.deduct if spec.input.column == DEDUCT else cols.score
        cell = ws.cell(row=row, column=column)
        cell.fill = _INPUT
        validations.add(spec, cell.coordinate)
        if spec.input.column == DEDUCT or spec.sub is None or spec.input.hint in ("bonus", "major"):
            ws.cell(row=row, column=cols.note).fill = _INPUT
    elif spec.na:
        ws.cell(row=row, column=cols.score).fill = _INPUT
        validations.add_na(spec, ws.cell(row=row, column=cols.score).coordinate)


def _has_points(spec: PlannedRow) -> bool:
    return isinstance(spec.points, Decimal) and spec.points > 0 and spec.item.max_points > 0


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class _Validations:
    """Data validations grouped by rule, so each rule is one `<dataValidation>` with many cells."""

    def __init__(self) -> None:
        self.groups: dict[tuple, list[str]] = defaultdict(list)
        self.specs: dict[tuple, dict] = {}

    def add(self, spec: PlannedRow, coordinate: str) -> None:
        data = spec.input
        na = spec.na and spec.sub is None
        if data.type == CHOICE:
            labels = [label for label, _ in data.choices]
            if na:
                labels.append(SHEET["na"])
            shown = "、".join(labels)
            options = {
                "type": "list",
                "formula1": '"' + ",".join(x.replace(",", "，") for x in labels) + '"',
                "error": SHEET["error_list"].format(choices=shown),
                "prompt": SHEET["hint_list"].format(choices=shown),
            }
        elif data.type == WHOLE:
            options = {
                "type": "whole", "operator": "greaterThanOrEqual", "formula1": "0",
                "error": SHEET["error_whole"],
                "prompt": SHEET["hint_count" if data.hint == "people" else "hint_whole"],
            }  # fmt: skip
        elif data.type == DECIMAL:
            low, high = fmt(data.low or Decimal(0)), fmt(data.high or Decimal(0))
            step = fmt(data.step or Decimal("0.1"))
            if data.column == DEDUCT and data.hint != "major":
                prompt = SHEET["hint_deduct"].format(high=high, step=step)
            elif data.hint == "major":
                prompt = SHEET["hint_major"].format(low=low, high=high)
            else:
                prompt = SHEET["hint_decimal"].format(low=low, high=high, step=step)
            options = {
                "type": "decimal", "operator": "between", "formula1": low, "formula2": high,
                "error": SHEET["error_decimal"].format(low=low, high=high), "prompt": prompt,
            }  # fmt: skip
        else:  # pragma: no cover - layout only makes these three
            return
        # "不适用" is text: a numeric rule then only warns, so the rater can still type it
        options["errorStyle"] = "warning" if na and data.type != CHOICE else "stop"
        key = tuple(sorted(options.items()))
        self.specs[key] = options
        self.groups[key].append(coordinate)

    def add_na(self, spec: PlannedRow, coordinate: str) -> None:
        options = {
            "type": "list", "formula1": f'"{SHEET["na"]}"', "errorStyle": "stop",
            "error": SHEET["error_list"].format(choices=SHEET["na"]),
            "prompt": SHEET["hint_list"].format(choices=SHEET["na"]),
        }  # fmt: skip
        key = tuple(sorted(options.items()))
        self.specs[key] = options
        self.groups[key].append(coordinate)

    def attach(self, ws: Worksheet) -> None:
        for key, cells in self.groups.items():
            options = dict(self.specs[key])
            dv = DataValidation(
                allow_blank=True, showErrorMessage=True, showInputMessage=True,
                errorTitle=SHEET["error_title"], promptTitle=SHEET["hint_title"], **options,
            )  # fmt: skip
            dv.sqref = " ".join(cells)  # type: ignore[assignment]
            ws.add_data_validation(dv)


def _print_setup(ws: Worksheet, cols: Columns) -> None:
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=cols.text)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5

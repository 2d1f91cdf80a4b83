"""Writing roster workbooks: the blank template and the export of a subtree, in one layout.

Rows are built once (lists of cell values in `COLUMNS` order) and rendered by `render_workbook`:
a title row merged across, the header row, then the data, with dropdowns for the kind and the
weak-organization flag. An export read back by the importer updates instead of duplicating,
because it carries each organization's 编号 and its parent's.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter

from kaoping.core.spreadsheet_safety import safe_text
from kaoping.orgs.domain.browse import tree_order
from kaoping.orgs.interfaces.roster.columns import COLUMNS, KIND_LABELS, NO, YES, DateColumn
from kaoping.orgs.models import Organization

VALIDATION_ROWS = 2000
INSTRUCTIONS = (
    ("组织名称、组织类别", "必填。组织类别从下拉列表中选择。"),
    (
        "上级组织",
        "填上级组织的名称：可以是本表中的另一行，也可以是导入目标下已有的组织；留空则直接挂在导入目标下。",
    ),
    ("上级编号", "同名组织不止一个时，填上级组织的编号加以区分（导出的名册已经填好）。"),
    ("编号", "由系统导出时填写，用于修改已有组织；新建组织请留空，不要自己编写。"),
    ("成立日期", "写成2026-03-31或2026年3月31日，也可以是日期格式的单元格。"),
    ("软弱涣散", "填“是”或“否”，留空视为“否”。"),
    ("其他", "列的顺序可以调整，系统按表头文字识别；有任何一行出错，整张表都不会导入。"),
)
EXAMPLES = (
    {"组织名称": "城关镇党委", "组织类别": "党委", "排序": 1, "书记": "张三", "党员人数": 320},
    {
        "组织名称": "城关镇白沙村党支部",
        "简称": "白沙村",
        "组织类别": "村党组织",
        "上级组织": "城关镇党委",
        "排序": 1,
        "书记": "李四",
        "联系人": "王五",
        "联系电话": "13800000000",
        "党员人数": 36,
        "成立日期": "1998年7月1日",
        "软弱涣散": NO,
    },
)


def template_rows() -> list[list[Any]]:
    return [[example.get(c.header) for c in COLUMNS] for example in EXAMPLES]


def export_rows(into: Organization) -> list[list[Any]]:
    """One row per active organization below `into`, parents before children. Two queries."""
    below = list(Organization.objects.within([into]).active().exclude(pk=into.pk))
    by_pk = {o.pk: o for o in below} | {into.pk: into}
    return [[c.export(org, by_pk.get(org.parent_id)) for c in COLUMNS] for org in tree_order(below)]


def render_workbook(rows: list[list[Any]], *, title: str) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _formats(workbook)
    sheet = workbook.add_worksheet("名册")
    last = len(COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, title, fmt["title"])
    sheet.set_row(0, 28)
    for col, column in enumerate(COLUMNS):
        header_fmt = fmt["required"] if column.required else fmt["header"]
        sheet.write_string(1, col, column.header, header_fmt)
        sheet.set_column(col, col, column.width, fmt["text"])
    for r, values in enumerate(rows, start=2):
        for col, value in enumerate(values):
            _write_cell(sheet, r, col, value, fmt)
    _add_validations(sheet)
    sheet.freeze_panes(2, 0)
    _add_instructions(workbook, fmt)
    workbook.close()
    return buffer.getvalue()


def _formats(workbook) -> dict[str, Any]:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14, "align": "center"}),
        "header": workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1}),
        "required": workbook.add_format(
            {"bold": True, "bg_color": "#F2F2F2", "border": 1, "font_color": "#B71C1C"}
        ),
        "text": workbook.add_format({"num_format": "@"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }


def _write_cell(sheet, row: int, col: int, value: Any, fmt) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, fmt["date"])
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(COLUMNS[col], DateColumn):
        sheet.write_string(row, col, safe_text(str(value)))
    else:
        sheet.write_string(row, col, safe_text(str(value)), fmt["text"])


def _add_validations(sheet) -> None:
    """Dropdowns from the header row down; typing a value that is not listed is refused."""
    for col, column in enumerate(COLUMNS):
        if column.header == "组织类别":
            choices = list(KIND_LABELS.values())
        elif column.header == "软弱涣散":
            choices = [YES, NO]
        else:
            continue
        sheet.data_validation(2, col, VALIDATION_ROWS, col, {"validate": "list", "source": choices})


def _add_instructions(workbook, fmt) -> None:
    sheet = workbook.add_worksheet("填写说明")
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 80, fmt["wrap"])
    for row, (topic, text) in enumerate(INSTRUCTIONS):
        sheet.write_string(row, 0, topic, fmt["header"])
        sheet.write_string(row, 1, text, fmt["wrap"])

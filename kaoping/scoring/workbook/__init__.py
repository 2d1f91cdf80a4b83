"""Score sheets as workbooks: write a blank 得分表 for a rubric, read filled ones back.

Pure Python (openpyxl), no Django: this is the clerk's tool behind `kaoping sheet` and
`kaoping score`. The layout is described in `layout.py`; every text is in `messages.py`.
"""

from kaoping.scoring.workbook.layout import Columns, PlannedRow, columns_for, plan_section
from kaoping.scoring.workbook.reader import InputProblem, SheetInput, read_json, read_workbook
from kaoping.scoring.workbook.template import FIELD_ROWS, HEADER_ROW, write_template

__all__ = [
    "FIELD_ROWS",
    "HEADER_ROW",
    "Columns",
    "InputProblem",
    "PlannedRow",
    "SheetInput",
    "columns_for",
    "plan_section",
    "read_json",
    "read_workbook",
    "write_template",
]

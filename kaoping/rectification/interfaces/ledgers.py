"""Ledgers in the documents' layout, as xlsx (written with xlsxwriter, constant memory).

整改台账 (seed 001): a title, then 单位(盖章) and 时间, then exactly the columns 党组织名称,
整改事项, 整改措施, 整改时限, 责任人, 完成销号时间. The labels are the document's own Chinese.
"""

from __future__ import annotations

import io

import xlsxwriter

from kaoping.core.spreadsheet_safety import safe_text
from kaoping.rectification.interfaces.dates import cn_date

LEDGER_TITLE = "党建观摩、检查、测评工作整改台账"
LEDGER_COLUMNS = ("党组织名称", "整改事项", "整改措施", "整改时限", "责任人", "完成销号时间")
COMPLIANCE_COLUMNS = ("党组织名称", "上级党组织", "得分", "等次", "反向指标", "未销号问题数")
WEAK_COLUMNS = ("党组织名称", "上级党组织", "整改事项", "整改措施", "整改时限", "责任人", "状态")
WIDTHS = {"党组织名称": 24, "上级党组织": 20, "整改事项": 48, "整改措施": 40, "反向指标": 40}


def _book():
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": True})
    styles = {
        "title": book.add_format({"bold": True, "font_size": 16, "align": "center"}),
        "head": book.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True}),
        "cell": book.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
    }
    return out, book, styles


def _sheet(book, styles, name, title, unit, day, columns, rows):
    sheet = book.add_worksheet(name)
    for col, label in enumerate(columns):
        sheet.set_column(col, col, WIDTHS.get(label, 14))
    sheet.merge_range(0, 0, 0, len(columns) - 1, safe_text(title), styles["title"])
    sheet.write_string(1, 0, f"单位(盖章)：{unit}")
    sheet.write(1, len(columns) - 2, f"时间：{cn_date(day)}")
    for col, label in enumerate(columns):
        sheet.write(2, col, label, styles["head"])
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            sheet.write(r, col, safe_text(value), styles["cell"])


def issue_text(issue) -> str:
    return issue.text + (f"（{'；'.join(issue.reasons)}）" if issue.reasons else "")


def ledger_xlsx(*, unit: str, day, issues) -> bytes:
    """The 整改台账 of `issues` (organization selected)."""
    rows = (
        (i.organization.name, issue_text(i), i.measures, cn_date(i.deadline or i.deadline_limit),
         i.owner, cn_date(i.closed_on))
        for i in issues
    )  # fmt: skip
    out, book, styles = _book()
    _sheet(book, styles, "整改台账", LEDGER_TITLE, unit, day, LEDGER_COLUMNS, rows)
    book.close()
    return out.getvalue()


def compliance_xlsx(*, unit: str, day, campaign_name: str, compliant, failing) -> bytes:
    """Two sheets, 达标 and 不达标: rows (name, parent, total, grade, vetoes, open issues)."""
    out, book, styles = _book()
    for name, rows in (("达标党组织台账", compliant), ("不达标党组织台账", failing)):
        _sheet(book, styles, name, f"{campaign_name}{name}", unit, day, COMPLIANCE_COLUMNS, rows)
    book.close()
    return out.getvalue()


def weak_xlsx(*, unit: str, day, rows) -> bytes:
    out, book, styles = _book()
    _sheet(book, styles, "软弱涣散党组织台账", "软弱涣散党组织专门台账", unit, day, WEAK_COLUMNS,
           rows)  # fmt: skip
    book.close()
    return out.getvalue()

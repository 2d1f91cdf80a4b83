"""The filing and verification overview of one cycle as an xlsx (one row per list). Column
headers and status words are the office's Chinese, as in the other exported sheets."""

from __future__ import annotations

import io

import xlsxwriter

from kaoping.core.spreadsheet_safety import safe_row
from kaoping.duties.domain.progress import summarize
from kaoping.duties.enums import ListState

HEADERS = ["党组织", "清单", "状态", "是否逾期", "签名人", "签名日期", "报备日期",
           "项目数", "完成", "部分完成", "未完成", "未验收"]  # fmt: skip
STATE = {ListState.DRAFT: "未签名", ListState.SIGNED: "已签名未报备", ListState.FILED: "已报备"}


def overview_rows(lists, *, day=None) -> list[list]:
    """Rows for `lists` (with cycle, organization, custom and verifications loaded)."""
    rows = []
    for duty_list in lists:
        summary = summarize(duty_list, day=day)
        rows.append([
            duty_list.organization.name, duty_list.title, STATE[duty_list.state],
            "是" if summary.late else "否", duty_list.signed_name,
            duty_list.signed_on.isoformat() if duty_list.signed_on else "",
            duty_list.filed_on.isoformat() if duty_list.filed_on else "",
            summary.total, summary.done, summary.partly, summary.not_done, summary.unverified,
        ])  # fmt: skip
    return rows


def overview_xlsx(cycle, lists, *, day=None) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(f"{cycle.year}年度责任清单")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, HEADERS, bold)
    for n, row in enumerate(overview_rows(lists, day=day), start=1):
        sheet.write_row(n, 0, safe_row(row))
    sheet.set_column(0, 1, 30)
    sheet.set_column(2, 11, 12)
    workbook.close()
    return buffer.getvalue()

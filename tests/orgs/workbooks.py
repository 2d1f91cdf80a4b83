"""Real xlsx files built in memory with openpyxl, laid out like the roster template."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADERS = [
    "组织名称",
    "简称",
    "组织类别",
    "上级组织",
    "排序",
    "书记",
    "党员人数",
    "成立日期",
    "软弱涣散",
]


def xlsx_bytes(rows, headers=HEADERS, *, title="党组织名册"):
    """A merged title row (unless `title` is None), the headers, then `rows` (dicts or lists)."""
    workbook = Workbook()
    sheet = workbook.active
    if title is not None:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="名册.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")

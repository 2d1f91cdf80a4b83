"""The audit log as xlsx, written row by row (xlsxwriter constant memory)."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext as _

from kaoping.audit import actions
from kaoping.core.spreadsheet_safety import safe_text


def safe(value) -> str:
    return safe_text("" if value is None else str(value))


def columns() -> list[str]:
    return [
        _("Sequence"),
        _("Time"),
        _("User"),
        _("Address"),
        _("Action"),
        _("Object"),
        _("Outcome"),
        _("Detail"),
        _("Hash"),
    ]


def row(event) -> list:
    target = event.target_repr
    if event.target_type:
        target = f"{event.target_type}#{event.target_id} {event.target_repr}".strip()
    return [
        event.sequence,
        event.time_with_offset,
        safe(event.username),
        safe(event.client_address),
        safe(actions.label(event.action)),
        safe(target),
        safe(event.get_result_display()),
        safe(event.detail_text),
        event.hash,
    ]


def events_xlsx(events) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": True})
    head = book.add_format({"bold": True})
    sheet = book.add_worksheet(_("Audit log"))
    for col, width in enumerate((8, 26, 16, 16, 20, 36, 8, 50, 66)):
        sheet.set_column(col, col, width)
    for col, label in enumerate(columns()):
        sheet.write_string(0, col, label, head)
    for r, event in enumerate(events, start=1):
        for col, value in enumerate(row(event)):
            if isinstance(value, int):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, value)
    book.close()
    return out.getvalue()

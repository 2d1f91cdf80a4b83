"""Keep personal data and secrets out of the logs (等保 8.1.4.11 个人信息保护).

`MaskPersonalData` sits on the root handler (settings.LOGGING), so every record that reaches a
log, Django's own included, is rewritten before it is formatted: mobile numbers keep their first
three and last four digits (138****1234, as pages show them), ID numbers their first six and last
four, and the value after password=, token=, secret= (and the like) becomes ******.
"""

from __future__ import annotations

import logging
import re

MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
# 18-character resident ID numbers: 17 digits and a check character (a digit or X).
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
SECRET_VALUE = re.compile(
    r"(?i)([\w-]*(?:password|passwd|pwd|token|secret|api[_-]?key|sessionid)[\w-]*[\"']?"
    r"\s*[=:]\s*)"
    r"(\"[^\"]*\"|'[^']*'|[^\s&,;]+)"
)


def mask(text: str) -> str:
    """The text with secrets, ID numbers and mobile numbers masked."""
    text = SECRET_VALUE.sub(r"\1******", text)
    text = ID_NUMBER.sub(r"\1********\2", text)
    return MOBILE.sub(r"\1****\2", text)


class MaskPersonalData(logging.Filter):
    """Rewrites the message, the traceback and the stack text of each record; drops none."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record, nor leak its args
            message = str(record.msg)
        record.msg, record.args = mask(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True

"""Formula injection in exported spreadsheets (CSV / xlsx injection): text is never a formula.

An organization named "=HYPERLINK(…)", a deduction reason "+1" or a contact "@SUM(…)" typed by
one user must not run as a formula on another user's machine when the export is opened. The
approach is OWASP's (CSV Injection): a text value beginning with = + - @, a tab or a carriage
return is written with a leading apostrophe ('), so Excel, WPS and LibreOffice show it as text,
and it stays text if the workbook is later saved as CSV. Numbers, dates and booleans are left
alone: a negative number stays a number. Formulas the code writes on purpose (the score sheet's
=SUM) never pass through here.

Importers that read back our own exports call `unescape_text` so the apostrophe does not become
part of a name. Pure Python, no Django: the scoring workbook uses it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["TRIGGERS", "is_risky", "safe_row", "safe_text", "unescape_text"]

# Characters a spreadsheet reads as the start of a formula (or that hide one after them).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def is_risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


def safe_text(value: Any) -> Any:
    """`value` ready for a cell: risky text gets a leading apostrophe, anything else unchanged."""
    return QUOTE + value if is_risky(value) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_text(value) for value in values]


def unescape_text(value: Any) -> Any:
    """The inverse of `safe_text` for text read back from one of our workbooks."""
    if isinstance(value, str) and value.startswith(QUOTE) and is_risky(value[1:]):
        return value[1:]
    return value

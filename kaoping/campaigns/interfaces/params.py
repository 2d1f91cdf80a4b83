"""Reading numbers people typed or URLs carried, without ever failing on them.

`str.isdigit()` accepts "²" and "٣", and `int()` refuses strings of more than 4,300 digits:
both would be a 500. Only plain ASCII digits, at most nine of them, count as a number here.
"""

from __future__ import annotations

import re

__all__ = ["small_int"]

_SMALL_INT = re.compile(r"[0-9]{1,9}")


def small_int(text) -> int | None:
    """The whole number `text` spells (0 … 999,999,999), or None for anything else."""
    if not isinstance(text, str) or not _SMALL_INT.fullmatch(text):
        return None
    return int(text)

"""Exact decimal parsing for rubric files and entries.

Floats are refused everywhere: `0.1` as a float is not one tenth, and a score sheet that is off by
a binary fraction cannot be reproduced on paper.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["ZERO", "is_multiple", "parse_count", "parse_decimal", "quantize"]

ZERO = Decimal(0)
# ASCII digits only: str.isdigit() also accepts "²", which int() then refuses with a crash.
_COUNT = re.compile(r"-?[0-9]+")


class NumberError(ValueError):
    """A value that is not an exact decimal; `code` is the machine code for the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse_decimal(value: object) -> Decimal:
    """Return `value` as a finite Decimal; accept int, str and Decimal, refuse float and bool."""
    if isinstance(value, (bool, float)):
        raise NumberError("not_exact", f"数值“{value}”须写成整数或字符串，不能是浮点数")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise NumberError("not_a_number", f"“{value}”不是数字") from None
    else:
        raise NumberError("not_a_number", f"“{value}”不是数字")
    if not result.is_finite():
        raise NumberError("not_a_number", f"“{value}”不是有限数字")
    return result


def parse_count(value: object) -> int:
    """Return a non-negative whole count (an int or a string of digits)."""
    if isinstance(value, bool):
        raise NumberError("not_a_count", f"次数“{value}”须为非负整数")
    if isinstance(value, int):
        count = value
    elif isinstance(value, str) and _COUNT.fullmatch(value.strip()):
        count = int(value.strip())
    else:
        raise NumberError("not_a_count", f"次数“{value}”须为非负整数")
    if count < 0:
        raise NumberError("negative_count", f"次数不能为负数（{count}）")
    return count


def is_multiple(value: Decimal, step: Decimal) -> bool:
    """True when `value` is a whole multiple of `step` (exactly, in Decimal)."""
    return step > 0 and value % step == 0


def quantize(value: Decimal, places: int | None) -> Decimal:
    """Round half up to `places` decimals; `None` means the rubric asks for no rounding."""
    if places is None:
        return value
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

"""Exact decimal parsing for rubric files and entries.

Floats are refused everywhere: `0.1` as a float is not one tenth, and a score sheet that is off by
a binary fraction cannot be reproduced on paper.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["ZERO", "is_multiple", "parse_count", "parse_decimal", "quantize"]

ZERO = Decimal(0)
# A score is at most 6 integer digits and 6 decimals: exponents beyond that are refused at the
# boundary, so no later arithmetic (quantize, %, format) can overflow or lose exactness.
MAX_EXPONENT = 6
MIN_EXPONENT = -6
MAX_COUNT = 100_000
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
    if not result:
        # 0E+999999 is zero, but formatting it writes a million zeros.
        return result if MIN_EXPONENT <= result.as_tuple().exponent <= 0 else ZERO
    if result.adjusted() > MAX_EXPONENT:
        raise NumberError("out_of_range", f"数值“{_short(value)}”超出范围（绝对值须小于10000000）")
    if result.as_tuple().exponent < MIN_EXPONENT and result != result.quantize(_SMALLEST):
        raise NumberError("too_precise", f"数值“{_short(value)}”最多保留6位小数")
    return result


_SMALLEST = Decimal(1).scaleb(MIN_EXPONENT)


def _short(value: object) -> str:
    """The value as typed, cut short: a number a million digits long is not echoed back whole."""
    text = str(value)
    return text if len(text) <= 24 else text[:20] + "…"


def parse_count(value: object) -> int:
    """Return a non-negative whole count (an int or a string of digits)."""
    if isinstance(value, bool):
        raise NumberError("not_a_count", f"次数“{value}”须为非负整数")
    if isinstance(value, int):
        count = value
    elif isinstance(value, str) and _COUNT.fullmatch(value.strip()):
        if len(value.strip().lstrip("-").lstrip("0")) > len(str(MAX_COUNT)):
            raise NumberError("count_too_large", f"次数“{_short(value)}”过大（最多{MAX_COUNT}）")
        count = int(value.strip())
    else:
        raise NumberError("not_a_count", f"次数“{value}”须为非负整数")
    if count < 0:
        raise NumberError("negative_count", f"次数不能为负数（{count}）")
    if count > MAX_COUNT:
        raise NumberError("count_too_large", f"次数{count}过大（最多{MAX_COUNT}）")
    return count


def is_multiple(value: Decimal, step: Decimal) -> bool:
    """True when `value` is a whole multiple of `step` (exactly, in Decimal)."""
    if step <= 0:
        return False
    try:
        return value % step == 0
    except ArithmeticError:  # a quotient beyond the context's precision is no whole multiple
        return False


def quantize(value: Decimal, places: int | None) -> Decimal:
    """Round half up to `places` decimals; `None` means the rubric asks for no rounding."""
    if places is None:
        return value
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

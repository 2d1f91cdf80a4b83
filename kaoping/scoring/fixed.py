"""Exact fixed-point arrays: Decimals as int64 counts of 10**-places, for numpy.

A campaign ranks hundreds of thousands of organizations; Python Decimals are too slow for that and
floats are inexact. Scores have a known number of decimals (the rubric's rounding), so we scale
them to integers, compute with int64 (exact up to ±9.2e18 units), and turn them back into
Decimals at the API boundary. Division rounds half away from zero, like Decimal's ROUND_HALF_UP.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import numpy as np

from kaoping.scoring.numbers import parse_decimal

__all__ = ["div_round", "from_fixed", "rank_keys", "to_fixed"]


def to_fixed(values: Iterable[object], *, places: int) -> np.ndarray:
    """Decimals (or ints/strings) as an int64 array of 10**-places units; refuse any value that
    has more decimals than `places` rather than round it silently."""
    scale = Decimal(10) ** places
    out = []
    for value in values:
        scaled = parse_decimal(value) * scale
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {places} decimal places")
        out.append(int(scaled))
    return np.asarray(out, dtype=np.int64)


def from_fixed(array: np.ndarray, *, places: int) -> list[Decimal]:
    """int64 units of 10**-places back to Decimals."""
    return [Decimal(int(v)).scaleb(-places) for v in np.asarray(array).ravel()]


def div_round(numerator: np.ndarray, denominator: np.ndarray | int) -> np.ndarray:
    """numerator / denominator rounded half away from zero, in integers (denominator > 0)."""
    numerator = np.asarray(numerator, dtype=np.int64)
    magnitude = (2 * np.abs(numerator) + denominator) // (2 * np.asarray(denominator))
    return np.sign(numerator) * magnitude


def rank_keys(values: Sequence[Decimal]) -> np.ndarray:
    """Exact integer keys with the same order as the Decimals (the index of each distinct value),
    so Decimal scores of any precision can be ranked with numpy."""
    distinct = sorted(set(values))
    index = {value: i for i, value in enumerate(distinct)}
    return np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values))

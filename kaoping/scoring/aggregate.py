"""Several raters and several stages: mean, trimmed mean, median; stage weights or override.

The Decimal functions are for one organization (a page, the CLI); the `*_fixed` function does a
whole campaign at once with numpy on fixed-point integers (see `fixed.py`), with the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

import numpy as np

from kaoping.scoring.fixed import div_round
from kaoping.scoring.numbers import ZERO, parse_decimal, quantize
from kaoping.scoring.results import SheetResult

__all__ = [
    "Aggregate",
    "Method",
    "SheetAggregate",
    "aggregate_fixed",
    "aggregate_scores",
    "aggregate_sheets",
    "combine_stages",
]


class Method(StrEnum):
    MEAN = "mean"
    TRIMMED = "trimmed"  # drop the k highest and the k lowest (去掉最高分和最低分)
    MEDIAN = "median"


@dataclass(frozen=True)
class Aggregate:
    value: Decimal
    method: Method  # as asked
    method_used: Method  # as applied: a trimmed mean with too few raters falls back to the mean
    count: int
    dropped: tuple[Decimal, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class SheetAggregate:
    total: Aggregate
    sections: dict[str, Aggregate] = field(default_factory=dict)


def aggregate_scores(
    values: Iterable[object], *, method: Method | str = Method.MEAN, trim: int = 1, places: int = 2
) -> Aggregate:
    """Aggregate raters' scores; the result is rounded half up to `places` decimals."""
    method = Method(method)
    ordered = sorted(parse_decimal(v) for v in values)
    if not ordered:
        raise ValueError("no scores to aggregate")
    if trim < 0:
        raise ValueError("trim must be >= 0")
    used, kept, dropped, note = method, ordered, (), ""
    if method is Method.TRIMMED:
        if len(ordered) > 2 * trim:
            kept = ordered[trim : len(ordered) - trim]
            dropped = (*ordered[:trim], *ordered[len(ordered) - trim :])
        else:
            used = Method.MEAN
            note = f"评分人{len(ordered)}人，不足{2 * trim + 1}人，未去掉最高分和最低分，按算术平均"
    if used is Method.MEDIAN:
        middle = len(kept) // 2
        value = kept[middle] if len(kept) % 2 else (kept[middle - 1] + kept[middle]) / 2
    else:
        value = sum(kept, ZERO) / len(kept)
    return Aggregate(value=quantize(value, places), method=method, method_used=used,
                     count=len(ordered), dropped=tuple(dropped), note=note)  # fmt: skip


def aggregate_sheets(
    results: Sequence[SheetResult],
    *,
    method: Method | str = Method.MEAN,
    trim: int = 1,
    places: int = 2,
) -> SheetAggregate:
    """Aggregate several raters' sheets for one organization: the scaled total (what grades use)
    and every section score."""
    if not results:
        raise ValueError("no sheets to aggregate")
    options = {"method": method, "trim": trim, "places": places}
    total = aggregate_scores((r.scaled_total for r in results), **options)
    sections = {
        s.code: aggregate_scores((r.section(s.code).score for r in results), **options)
        for s in results[0].sections
    }
    return SheetAggregate(total=total, sections=sections)


def combine_stages(
    values: Sequence[object | None],
    *,
    mode: str = "weighted",
    weights: Sequence[object] | None = None,
    places: int = 2,
) -> Decimal:
    """Combine one organization's stage results, in stage order.

    `weighted`: Σ weight × value, the weights adding up to 1 and every stage present.
    `override`: the latest stage that has a result replaces the earlier ones (抽查 over 自评).
    """
    if mode == "override":
        present = [parse_decimal(v) for v in values if v is not None]
        if not present:
            raise ValueError("no stage has a result")
        return quantize(present[-1], places)
    if mode != "weighted":
        raise ValueError(f"unknown mode {mode!r}")
    if weights is None or len(weights) != len(values):
        raise ValueError("weighted combination needs one weight per stage")
    exact = [parse_decimal(w) for w in weights]
    if sum(exact, ZERO) != 1:
        raise ValueError("stage weights must add up to 1")
    if any(v is None for v in values):
        raise ValueError("every stage needs a result for a weighted combination")
    total = sum((w * parse_decimal(v) for w, v in zip(exact, values, strict=True)), ZERO)
    return quantize(total, places)


def aggregate_fixed(
    matrix: np.ndarray,
    *,
    method: Method | str = Method.MEAN,
    trim: int = 1,
    counts: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Aggregate a (organizations × raters) int64 matrix of fixed-point scores, row by row.

    `counts[i]` raters are present in row i (the first counts[i] columns); default all. Returns
    the aggregates in the same units, rounded half away from zero, and a boolean array marking
    rows where a trimmed mean fell back to the mean.
    """
    method = Method(method)
    matrix = np.asarray(matrix, dtype=np.int64)
    rows, width = matrix.shape
    counts = np.full(rows, width, dtype=np.int64) if counts is None else np.asarray(counts)
    if np.any(counts < 1) or np.any(counts > width):
        raise ValueError("every organization needs between 1 and width raters")
    present = np.arange(width) < counts[:, None]
    # Absent raters sort last, then count as 0 so cumulative sums stay exact.
    ordered = np.sort(np.where(present, matrix, np.iinfo(np.int64).max), axis=1)
    ordered = np.where(present, ordered, 0)
    index = np.arange(rows)
    fell_back = np.zeros(rows, dtype=bool)
    if method is Method.MEDIAN:
        low, high = ordered[index, (counts - 1) // 2], ordered[index, counts // 2]
        return div_round(low + high, 2), fell_back
    cumulative = np.concatenate([np.zeros((rows, 1), np.int64), np.cumsum(ordered, 1)], axis=1)
    start = np.zeros(rows, dtype=np.int64)
    stop = counts.copy()
    if method is Method.TRIMMED:
        fell_back = counts <= 2 * trim
        start = np.where(fell_back, 0, trim)
        stop = np.where(fell_back, counts, counts - trim)
    sums = cumulative[index, stop] - cumulative[index, start]
    return div_round(sums, stop - start), fell_back

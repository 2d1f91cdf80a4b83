"""Ranking within a scope, grades by shares of a ranking, and caps on a grade's share.

Ties share a rank: competition ranking (1, 1, 3) by default, dense (1, 1, 2) on request. The
numpy functions take exact integer keys (fixed-point scores, or `fixed.rank_keys` of Decimals),
so a province of 300,000 organizations ranks in one vectorized pass.

Shares: a share of n organizations is n × share rounded as the campaign states (`floor` by
default: a quota is never exceeded, `half_up`, or `ceil`). A tie group on the boundary is either
left out whole (`ties="exclude"`, default: the share is never exceeded) or taken in whole
(`ties="include"`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from kaoping.scoring.fixed import rank_keys
from kaoping.scoring.numbers import parse_decimal

__all__ = [
    "BOTTOM",
    "MIDDLE",
    "TOP",
    "cap_share",
    "cap_share_array",
    "grade_by_share",
    "grade_by_share_array",
    "quota",
    "rank",
    "rank_array",
]

TOP, MIDDLE, BOTTOM = 0, 1, 2


def _scope_codes(scopes: Sequence[Hashable] | np.ndarray | None, size: int) -> np.ndarray:
    if scopes is None:
        return np.zeros(size, dtype=np.int64)
    scopes = np.asarray(scopes) if isinstance(scopes, np.ndarray) else scopes
    if isinstance(scopes, np.ndarray) and scopes.dtype.kind in "iu":
        return scopes.astype(np.int64, copy=False)
    index: dict[Hashable, int] = {}
    return np.fromiter((index.setdefault(s, len(index)) for s in scopes), np.int64, count=size)


def _positions(keys: np.ndarray, scopes: np.ndarray, descending: bool):
    """Sort by (scope, key); return the order and, per sorted position: the index where its tie
    group starts, where its scope starts, its tie group's size and its scope's size."""
    keys = np.asarray(keys, dtype=np.int64)
    order = np.lexsort((-keys if descending else keys, scopes))
    sorted_keys, sorted_scopes = keys[order], scopes[order]
    size = len(keys)
    positions = np.arange(size)
    new_scope = np.ones(size, dtype=bool)
    new_scope[1:] = sorted_scopes[1:] != sorted_scopes[:-1]
    new_group = new_scope.copy()
    new_group[1:] |= sorted_keys[1:] != sorted_keys[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    scope_start = np.maximum.accumulate(np.where(new_scope, positions, 0))
    group_size = _run_lengths(new_group)
    scope_size = _run_lengths(new_scope)
    return order, new_group, group_start, scope_start, group_size, scope_size


def _run_lengths(starts: np.ndarray) -> np.ndarray:
    """For each position, the length of the run it belongs to (runs begin where starts is True)."""
    begin = np.flatnonzero(starts)
    lengths = np.diff(np.append(begin, len(starts)))
    return np.repeat(lengths, lengths)


def rank_array(
    keys: np.ndarray,
    *,
    scopes: np.ndarray | None = None,
    dense: bool = False,
    descending: bool = True,
) -> np.ndarray:
    """Ranks (1 = best) of integer keys within each scope; ties share a rank."""
    keys = np.asarray(keys, dtype=np.int64)
    codes = _scope_codes(scopes, len(keys))
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    order, new_group, group_start, scope_start, _, _ = _positions(keys, codes, descending)
    if dense:
        running = np.cumsum(new_group)
        ranks = running - running[scope_start] + 1
    else:
        ranks = group_start - scope_start + 1
    out = np.empty(len(keys), dtype=np.int64)
    out[order] = ranks
    return out


def rank(
    values: Sequence[object],
    *,
    scopes: Sequence[Hashable] | None = None,
    dense: bool = False,
    descending: bool = True,
    last: Sequence[bool] | None = None,
) -> list[int]:
    """Ranks of exact Decimal scores within each scope: [90, 90, 85] → [1, 1, 3] (dense: 1, 1, 2).

    `last` marks values ranked after every unmarked one of their scope, whatever their score
    (ties shared among themselves): a vetoed organization gets the failing grade, so it cannot
    outrank one that passed."""
    keys = rank_keys([parse_decimal(v) for v in values])
    if last is not None:
        if len(last) != len(keys):
            raise ValueError("one `last` flag per value")
        # Shift marked keys past every unmarked one (there are len(keys) distinct keys at most).
        shift = np.where(np.asarray(last, dtype=bool), len(keys) + 1, 0)
        keys = keys - shift if descending else keys + shift
    return rank_array(keys, scopes=_scope_codes(scopes, len(keys)), dense=dense,
                      descending=descending).tolist()  # fmt: skip


def quota(size: int | np.ndarray, share: object, *, rounding: str = "floor"):
    """size × share as a whole count, rounded `floor`, `half_up` or `ceil`, exactly."""
    numerator, denominator = parse_decimal(share).as_integer_ratio()
    if not 0 <= numerator <= denominator:
        raise ValueError("a share is between 0 and 1")
    product = np.asarray(size, dtype=np.int64) * numerator
    if rounding == "floor":
        result = product // denominator
    elif rounding == "ceil":
        result = -((-product) // denominator)
    elif rounding == "half_up":
        result = (2 * product + denominator) // (2 * denominator)
    else:
        raise ValueError(f"unknown rounding {rounding!r}")
    return int(result) if np.ndim(result) == 0 else result


def _selected(keys, codes, share, *, descending, rounding, ties, scope_sizes=None):
    """Which elements fall within the first `share` of their scope's ranking."""
    order, _, group_start, scope_start, group_size, scope_size = _positions(keys, codes, descending)
    if scope_sizes is not None:
        scope_size = scope_sizes[order]
    limit = quota(scope_size, share, rounding=rounding)
    first = group_start - scope_start + 1  # competition rank
    last = first + group_size - 1
    if ties == "exclude":
        chosen = last <= limit
    elif ties == "include":
        chosen = first <= limit
    else:
        raise ValueError(f"unknown ties policy {ties!r}")
    out = np.empty(len(keys), dtype=bool)
    out[order] = chosen
    return out


def grade_by_share_array(
    keys: np.ndarray,
    *,
    top: object,
    bottom: object,
    scopes: np.ndarray | None = None,
    rounding: str = "floor",
    ties: str = "exclude",
) -> np.ndarray:
    """TOP (0), MIDDLE (1) or BOTTOM (2) per element: the best `top` share of each scope, the
    worst `bottom` share, and the rest (先进 / 一般 / 后进)."""
    if parse_decimal(top) + parse_decimal(bottom) > 1:
        raise ValueError("top and bottom shares overlap")
    keys = np.asarray(keys, dtype=np.int64)
    codes = _scope_codes(scopes, len(keys))
    options = {"rounding": rounding, "ties": ties}
    best = _selected(keys, codes, top, descending=True, **options)
    worst = _selected(keys, codes, bottom, descending=False, **options) & ~best
    return np.where(best, TOP, np.where(worst, BOTTOM, MIDDLE)).astype(np.int8)


def grade_by_share(
    values: Sequence[object],
    *,
    top: object,
    bottom: object,
    labels: tuple[str, str, str] = ("先进", "一般", "后进"),
    scopes: Sequence[Hashable] | None = None,
    rounding: str = "floor",
    ties: str = "exclude",
) -> list[str]:
    """Grades by shares of the ranking of exact Decimal scores (e.g. 先进 top 20 %, 后进 10 %)."""
    keys = rank_keys([parse_decimal(v) for v in values])
    codes = grade_by_share_array(keys, top=top, bottom=bottom, rounding=rounding, ties=ties,
                                 scopes=_scope_codes(scopes, len(keys)))  # fmt: skip
    return [labels[c] for c in codes.tolist()]


def cap_share_array(
    keys: np.ndarray,
    eligible: np.ndarray,
    *,
    share: object,
    scopes: np.ndarray | None = None,
    rounding: str = "floor",
    ties: str = "exclude",
) -> np.ndarray:
    """Keep the best of the eligible (e.g. five stars lit) up to `share` of all organizations in
    their scope (e.g. 五星 ≤ 30 %); the others lose the grade."""
    keys = np.asarray(keys, dtype=np.int64)
    eligible = np.asarray(eligible, dtype=bool)
    codes = _scope_codes(scopes, len(keys))
    _, inverse, sizes = np.unique(codes, return_inverse=True, return_counts=True)
    picked = np.flatnonzero(eligible)
    out = np.zeros(len(keys), dtype=bool)
    if len(picked):
        scope_sizes = sizes[inverse][picked]
        out[picked] = _selected(
            keys[picked],
            codes[picked],
            share,
            descending=True,
            rounding=rounding,
            ties=ties,
            scope_sizes=scope_sizes,
        )
    return out


def cap_share(
    values: Sequence[object],
    eligible: Sequence[bool],
    *,
    share: object,
    scopes: Sequence[Hashable] | None = None,
    rounding: str = "floor",
    ties: str = "exclude",
) -> list[bool]:
    """`cap_share_array` for exact Decimal scores."""
    keys = rank_keys([parse_decimal(v) for v in values])
    kept = cap_share_array(
        keys,
        np.asarray(eligible, dtype=bool),
        share=share,
        scopes=_scope_codes(scopes, len(keys)),
        rounding=rounding,
        ties=ties,
    )
    return kept.tolist()

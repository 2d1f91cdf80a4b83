"""Many small groups of raters' scores aggregated at once, in fixed point (for the score matrix).

A campaign's score matrix aggregates every (stage, organization, item): hundreds of thousands of
groups of a few raters each. Calling the Decimal `aggregate_scores` per group is what made the
export slow. Here the scores are int64 units (`fixed.py`), the groups with the same number of
raters form one dense (groups × raters) matrix, and `aggregate_fixed` takes each matrix whole —
the same numbers as `aggregate_scores`, rounded once, half up.
"""

from __future__ import annotations

import numpy as np

from kaoping.scoring.aggregate import Method, aggregate_fixed

__all__ = ["aggregate_groups"]


def aggregate_groups(
    groups: np.ndarray,
    units: np.ndarray,
    *,
    method: Method | str = Method.MEAN,
    trim: int = 1,
    coarser: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Aggregate scores by group: `groups[i]` is the (int64) group key of score `units[i]`.

    Returns the distinct keys, sorted, and each group's aggregate in units `10**coarser` times
    the input's (as `aggregate_fixed`: scores at 3 decimals, results at 2 → `coarser=1`).
    The order of scores within a group does not matter (the aggregate sorts them)."""
    groups = np.asarray(groups, dtype=np.int64)
    units = np.asarray(units, dtype=np.int64)
    if groups.shape != units.shape or groups.ndim != 1:
        raise ValueError("one group key per score")
    if not len(groups):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.argsort(groups, kind="stable")
    groups, units = groups[order], units[order]
    keys, starts, counts = np.unique(groups, return_index=True, return_counts=True)
    values = np.zeros(len(keys), dtype=np.int64)
    # One dense matrix per group size: no padding, so memory stays that of the scores.
    for size in np.unique(counts):
        chosen = np.flatnonzero(counts == size)
        columns = starts[chosen][:, None] + np.arange(size)
        aggregated, _fell_back = aggregate_fixed(units[columns], method=method, trim=trim,
                                                 coarser=coarser)  # fmt: skip
        values[chosen] = aggregated
    return keys, values

"""`aggregate_groups`: many small groups of raters at once, the same numbers as the Decimal
`aggregate_scores` per group (the score matrix export relies on it cell for cell)."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.scoring import aggregate_scores
from kaoping.scoring.matrix import aggregate_groups

# group key → raters' scores at 3 decimals; sizes 1..6 so trimmed means fall back sometimes
groups = st.dictionaries(
    st.integers(min_value=0, max_value=10**12),
    st.lists(st.integers(min_value=-(10**6), max_value=10**6), min_size=1, max_size=6),
    min_size=1, max_size=12,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    groups=groups,
    method=st.sampled_from(["mean", "trimmed", "median"]),
    trim=st.integers(min_value=0, max_value=2),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_groups_aggregate_like_decimal(groups, method, trim, seed):
    keys = np.array([k for k, scores in groups.items() for _ in scores], dtype=np.int64)
    units = np.array([u for scores in groups.values() for u in scores], dtype=np.int64)
    shuffle = np.random.default_rng(seed).permutation(len(keys))  # input order must not matter
    found, values = aggregate_groups(keys[shuffle], units[shuffle], method=method, trim=trim,
                                     coarser=1)  # fmt: skip
    assert found.tolist() == sorted(groups)
    for key, value in zip(found.tolist(), values.tolist(), strict=True):
        expected = aggregate_scores([Decimal(u).scaleb(-3) for u in groups[key]], method=method,
                                    trim=trim, places=2)  # fmt: skip
        assert Decimal(value).scaleb(-2) == expected.value
        # what the export writes: the float of the Decimal
        assert value / 100 == float(expected.value)


def test_half_away_from_zero_and_trimmed_fallback():
    keys = np.array([1, 1, 2, 2, 2, 3], dtype=np.int64)
    units = np.array([5, 10, 1000, 0, 7, -5], dtype=np.int64)  # 0.005+0.010, …, -0.005
    found, values = aggregate_groups(keys, units, method="trimmed", trim=1, coarser=1)
    # two raters: the mean (0.0075 → 0.01); three: the middle one (0.007 → 0.01); -0.005 → -0.01
    assert found.tolist() == [1, 2, 3] and values.tolist() == [1, 1, -1]


def test_empty_and_mismatched_input():
    found, values = aggregate_groups(np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert found.size == 0 and values.size == 0
    with pytest.raises(ValueError, match="one group key per score"):
        aggregate_groups(np.zeros(2, np.int64), np.zeros(3, np.int64))

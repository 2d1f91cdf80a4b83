"""`aggregate_fixed(coarser=k)`: scores read at fine precision, aggregates rounded once to the
rubric's places — the same numbers as the Decimal `aggregate_scores`."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.scoring import aggregate_fixed, aggregate_scores

scores = st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=1, max_size=7)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(scores, min_size=1, max_size=6),
    method=st.sampled_from(["mean", "trimmed", "median"]),
    trim=st.integers(min_value=0, max_value=2),
    places=st.integers(min_value=0, max_value=6),
)
def test_coarser_rounds_once_like_decimal(rows, method, trim, places):
    width = max(len(r) for r in rows)
    matrix = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        matrix[i, : len(row)] = row
    counts = np.array([len(r) for r in rows])
    values, fell_back = aggregate_fixed(
        matrix, method=method, trim=trim, counts=counts, coarser=6 - places
    )
    for i, row in enumerate(rows):
        expected = aggregate_scores([Decimal(v).scaleb(-6) for v in row], method=method,
                                    trim=trim, places=places)  # fmt: skip
        assert Decimal(int(values[i])).scaleb(-places) == expected.value
        assert bool(fell_back[i]) == (expected.method_used != expected.method)


def test_coarser_half_away_from_zero():
    matrix = np.array([[125, 0], [-125, 0]], dtype=np.int64)  # 0.0125 at 4 decimals
    values, _ = aggregate_fixed(matrix, counts=np.array([1, 1]), coarser=2)
    assert values.tolist() == [1, -1]  # 0.01 and -0.01 at 2 decimals: ROUND_HALF_UP


def test_coarser_refuses_negative():
    with pytest.raises(ValueError, match="coarser"):
        aggregate_fixed(np.zeros((1, 1), dtype=np.int64), coarser=-1)

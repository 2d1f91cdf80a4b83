from decimal import Decimal

import numpy as np
import pytest

from kaoping.scoring import aggregate_fixed, aggregate_scores, combine_stages, from_fixed, to_fixed


def test_aggregate_trimmed_mean_drops_highest_and_lowest():
    result = aggregate_scores(["92.5", "88", "95", "71", "90"], method="trimmed")
    # drop 95 and 71: (92.5 + 88 + 90) / 3 = 90.1666… → 90.17
    assert (result.value, result.dropped) == (Decimal("90.17"), (Decimal(71), Decimal(95)))


def test_aggregate_trimmed_with_too_few_raters_falls_back_to_mean_and_says_so():
    result = aggregate_scores(["90", "81"], method="trimmed")
    assert (result.value, result.method_used.value) == (Decimal("85.50"), "mean")
    assert result.note == "评分人2人，不足3人，未去掉最高分和最低分，按算术平均"


def test_aggregate_median_even_count():
    assert aggregate_scores(["80", "90", "85", "70"], method="median").value == Decimal("82.50")


def test_aggregate_fixed_matches_decimal_functions():
    rows = [["92.5", "88", "95"], ["71", "90", "90.01"], ["-3", "0", "1"]]
    matrix = np.stack([to_fixed(r, places=2) for r in rows])
    for method in ("mean", "trimmed", "median"):
        values, _ = aggregate_fixed(matrix, method=method)
        expected = [aggregate_scores(r, method=method).value for r in rows]
        assert from_fixed(values, places=2) == expected


def test_aggregate_fixed_with_absent_raters():
    matrix = to_fixed(["90", "80", "0", "70", "60", "50"], places=2).reshape(2, 3)
    values, fell_back = aggregate_fixed(matrix, method="trimmed", counts=np.array([2, 3]))
    assert (from_fixed(values, places=2), fell_back.tolist()) == (
        [Decimal("85"), Decimal("60")],
        [True, False],
    )


def test_to_fixed_refuses_to_round():
    with pytest.raises(ValueError):
        to_fixed(["1.005"], places=2)


def test_combine_stages_weighted_and_override():
    assert combine_stages(["80", "90"], weights=["0.3", "0.7"]) == Decimal("87.00")
    assert combine_stages(["80", None, "75"], mode="override") == Decimal("75.00")

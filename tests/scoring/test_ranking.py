import numpy as np

from kaoping.scoring import cap_share, grade_by_share, quota, rank, rank_array


def test_rank_ties_share_a_rank():
    assert rank(["90", "95", "90", "85"]) == [2, 1, 2, 4]


def test_rank_dense():
    assert rank(["90", "90", "85"], dense=True) == [1, 1, 2]


def test_rank_within_scopes():
    assert rank(["90", "80", "70", "95"], scopes=["镇A", "镇A", "镇B", "镇B"]) == [1, 2, 2, 1]


def test_rank_array_matches_rank():
    keys = np.array([5, 3, 5, 1, 3])
    assert rank_array(keys).tolist() == rank(["5", "3", "5", "1", "3"])


def test_quota_rounding():
    assert (
        quota(85, "0.2"),
        quota(33, "0.3", rounding="half_up"),
        quota(33, "0.3", rounding="ceil"),
    ) == (17, 10, 10)


def test_grade_by_share_top_and_bottom():
    scores = ["95", "91", "88", "86", "80", "79", "75", "70", "60", "55"]
    assert grade_by_share(scores, top="0.2", bottom="0.1") == ["先进", "先进"] + ["一般"] * 7 + [
        "后进"
    ]


def test_grade_by_share_boundary_tie_is_excluded_or_included():
    scores = ["95", "90", "90", "80", "70"]
    assert grade_by_share(scores, top="0.4", bottom="0")[:3] == ["先进", "一般", "一般"]
    assert grade_by_share(scores, top="0.4", bottom="0", ties="include")[:3] == [
        "先进",
        "先进",
        "先进",
    ]


def test_cap_share_keeps_the_best_eligible():
    # 五星 ≤ 30 %: of 10 organizations at most 3 keep five stars
    scores = ["99", "98", "97", "96", "95", "50", "40", "30", "20", "10"]
    eligible = [True] * 5 + [False] * 5
    assert cap_share(scores, eligible, share="0.3") == [True] * 3 + [False] * 7

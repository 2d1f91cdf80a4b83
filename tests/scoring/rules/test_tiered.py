from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, RubricError, score_item

# seed 004 业绩优 1: "优秀单位得10分，良好单位得8分"
LEVELS = [
    {"code": "excellent", "label": "优秀", "points": 10},
    {"code": "good", "label": "良好", "points": 8},
    {"code": "other", "label": "其他", "points": 0},
]
ITEM = {
    "code": "6.1",
    "text": "目标责任制考核",
    "max": 10,
    "rule": {"kind": "tiered", "levels": LEVELS},
}


def test_tiered_good_scores_eight(make_rubric):
    result = score_item(make_rubric([ITEM]), "6.1", {"level": "good"})
    assert (result.score, result.level) == (Decimal(8), "good")


def test_tiered_unknown_level_is_refused(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "6.1", {"level": "best"})
    assert caught.value.problems[0].kind == "unknown_level"


def test_tiered_top_level_must_equal_max(make_rubric):
    with pytest.raises(RubricError) as caught:
        make_rubric([dict(ITEM, max=12)])
    assert [p.kind for p in caught.value.problems] == ["max_mismatch"]

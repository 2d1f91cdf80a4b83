from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_item

# seed 004 民主星 3. 强化纪律作风（6分）: "主要领导扣1分/人次，其他市管干部扣0.8分/人次，科级干部扣0.6分/人次，
# 其他党员扣0.5分/人次，扣完为止"
CATEGORIES = [
    {"code": "principal", "label": "主要领导", "unit": 1},
    {"code": "city_cadre", "label": "其他市管干部", "unit": "0.8"},
    {"code": "section_cadre", "label": "科级干部", "unit": "0.6"},
    {"code": "member", "label": "其他党员", "unit": "0.5"},
]
ITEM = {"code": "4.3", "text": "强化纪律作风", "max": 6,
        "rule": {"kind": "graded_deduction", "categories": CATEGORIES}}  # fmt: skip


def test_graded_deduction_per_person_by_rank(make_rubric):
    entry = {"counts": {"principal": 1, "city_cadre": 1, "section_cadre": 2, "member": 3}}
    result = score_item(make_rubric([ITEM]), "4.3", entry)
    # 6 − 1 − 0.8 − 1.2 − 1.5 = 1.5
    assert result.score == Decimal("1.5")
    assert result.reasons[0] == "主要领导1人次，扣1分"


def test_graded_deduction_stops_at_zero(make_rubric):
    result = score_item(make_rubric([ITEM]), "4.3", {"counts": {"principal": 7}})
    assert result.score == Decimal(0)


def test_graded_deduction_negative_count_and_unknown_category(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "4.3", {"counts": {"principal": -1, "mayor": 1}})
    assert [p.kind for p in caught.value.problems] == ["negative_count", "unknown_category"]

from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_item, score_sheet

# seed 003: "个性指标5项，每项5分，共25分", written by each unit
ITEM = {"code": "P", "text": "个性指标", "max": 25,
        "rule": {"kind": "custom_slots", "slots": 5, "points_each": 5}}  # fmt: skip
SLOTS = [{"code": f"P{i}", "text": f"个性指标{i}"} for i in range(1, 6)]


def test_custom_slots_scored_as_written(make_rubric):
    entry = {"slots": {f"P{i}": {"score": str(i)} for i in range(1, 6)}}
    result = score_item(make_rubric([ITEM]), "P", entry, custom_items={"P": SLOTS})
    assert result.score == Decimal(15)


def test_custom_slots_missing_required_slot(make_rubric):
    entry = {"slots": {"P1": {"score": "5"}}}
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "P", entry, custom_items={"P": SLOTS[:1]})
    assert [p.kind for p in caught.value.problems] == ["missing_custom_slot"]


def test_custom_slots_not_written_at_all(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_sheet(make_rubric([ITEM]), {"P": {"slots": {}}})
    assert [p.kind for p in caught.value.problems] == ["missing_custom_slot"]


def test_custom_slots_minimum_count(make_rubric):
    # seed 004: "个性项目不少于2个"
    item = {"code": "Q", "text": "个性项目", "max": 8,
            "rule": {"kind": "custom_slots", "min_slots": 2, "max_slots": 4, "points_each": 2,
                     "rule": {"kind": "binary"}}}  # fmt: skip
    slots = [{"code": "Q1", "text": "甲"}, {"code": "Q2", "text": "乙"}]
    entry = {"slots": {"Q1": {"met": True}, "Q2": {"met": False}}}
    result = score_item(make_rubric([item]), "Q", entry, custom_items={"Q": slots})
    assert (result.score, result.reasons) == (Decimal(2), ("乙：未达到要求",))

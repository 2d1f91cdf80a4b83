from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_item

# seed 001 村(社区)得分表 一.6 "制定基层党建问题、任务、责任“三个清单”…（4分）", columns 扣分/扣分原因
FREE = {"code": "1.6", "text": "三个清单", "max": 4, "rule": {"kind": "deduction"}}
# seed 004 学习星 "3分…未落实的每项扣0.2分"
UNIT = {
    "code": "1.1.4",
    "text": "及时学习传达",
    "max": 3,
    "rule": {"kind": "deduction", "unit": "0.2"},
}


def test_deduction_free_amounts_with_reasons(make_rubric):
    entry = {
        "deductions": [{"amount": "0.5", "reason": "台账不完整"}, {"amount": 1, "reason": "未上报"}]
    }
    result = score_item(make_rubric([FREE]), "1.6", entry)
    assert result.score == Decimal("2.5")
    assert result.reasons == ("扣0.5分：台账不完整", "扣1分：未上报")


def test_deduction_count_times_unit(make_rubric):
    result = score_item(
        make_rubric([UNIT]), "1.1.4", {"deductions": [{"count": 3, "reason": "未落实3项"}]}
    )
    assert result.score == Decimal("2.4")


def test_deduction_never_below_zero(make_rubric):
    entry = {"deductions": [{"amount": "3", "reason": "a"}, {"amount": "2", "reason": "b"}]}
    assert score_item(make_rubric([FREE]), "1.6", entry).score == Decimal(0)


def test_deduction_missing_entry_means_full_points(make_rubric):
    assert score_item(make_rubric([FREE]), "1.6", None).score == Decimal(4)


def test_deduction_without_reason_negative_or_count_without_unit_are_reported(make_rubric):
    entry = {
        "deductions": [
            {"amount": "-1", "reason": "x"},
            {"amount": "1"},
            {"count": 1, "reason": "y"},
        ]
    }
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([FREE]), "1.6", entry)
    assert [p.kind for p in caught.value.problems] == ["not_positive", "missing_reason", "no_unit"]

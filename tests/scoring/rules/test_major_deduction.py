from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_item

# seed 004 备注 2: "出现重扣分项情形的，每项扣5-10分"
ITEM = {
    "code": "1.M1",
    "text": "重要精神未及时传达贯彻到位",
    "rule": {"kind": "major_deduction", "min": 5, "max": 10},
}
SCORED = {"code": "1.1", "text": "x", "max": 5, "rule": {"kind": "scale"}}


def test_major_deduction_sums_occurrences(make_rubric):
    entry = {"occurrences": [{"amount": "6", "note": "一次"}, {"amount": 5}]}
    result = score_item(make_rubric([SCORED, ITEM]), "1.M1", entry)
    assert (result.amount, result.score) == (Decimal(11), Decimal(0))


def test_major_deduction_amount_outside_range(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(
            make_rubric([SCORED, ITEM]), "1.M1", {"occurrences": [{"amount": "4"}, {"amount": 11}]}
        )
    assert [p.kind for p in caught.value.problems] == ["out_of_range", "out_of_range"]

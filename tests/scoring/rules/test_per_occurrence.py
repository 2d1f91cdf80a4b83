from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_item

# seed 004 学习星: "每年至少2次以上研判党员思想状况（2分，每次1分）"
ITEM = {
    "code": "1.1.5",
    "text": "研判党员思想状况",
    "max": 2,
    "rule": {"kind": "per_occurrence", "unit": 1},
}


def test_per_occurrence_counts_times_unit(make_rubric):
    assert score_item(make_rubric([ITEM]), "1.1.5", {"count": 1}).score == Decimal(1)


def test_per_occurrence_is_capped_at_max(make_rubric):
    assert score_item(make_rubric([ITEM]), "1.1.5", {"count": 5}).score == Decimal(2)


def test_per_occurrence_negative_count_is_refused(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "1.1.5", {"count": -1})
    assert caught.value.problems[0].kind == "negative_count"

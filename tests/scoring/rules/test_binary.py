from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_item

# "经常开展纪律教育的，得3分" (seed 000, 8.(1))
ITEM = {"code": "8.1", "text": "推进纪律教育常态化", "max": 3, "rule": {"kind": "binary"}}


def test_binary_met_scores_max(make_rubric):
    assert score_item(make_rubric([ITEM]), "8.1", {"met": True}).score == Decimal(3)


def test_binary_not_met_scores_zero_with_reason(make_rubric):
    result = score_item(make_rubric([ITEM]), "8.1", {"met": False})
    assert (result.score, result.reasons) == (Decimal(0), ("未达到要求",))


def test_binary_non_boolean_is_refused(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "8.1", {"met": "yes"})
    assert caught.value.problems[0].kind == "not_boolean"

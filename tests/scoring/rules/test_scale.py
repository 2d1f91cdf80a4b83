from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_item

# "结合实际情况酌情打分，最高得4分" (seed 000, item 4.(2) … 12.(1))
ITEM = {
    "code": "12.1",
    "text": "推进岗位建功活动",
    "max": 4,
    "step": "0.5",
    "rule": {"kind": "scale"},
}


def test_scale_score_within_max(make_rubric):
    result = score_item(make_rubric([ITEM]), "12.1", {"score": "3.5"})
    assert result.score == Decimal("3.5")
    assert result.lost == Decimal("0.5")


def test_scale_above_max_and_off_step_are_reported_together(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "12.1", {"score": "4.3"})
    assert [p.kind for p in caught.value.problems] == ["above_max", "off_step"]
    assert caught.value.problems[0].code == "12.1"


def test_scale_float_is_refused(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "12.1", {"score": 3.5})
    assert caught.value.problems[0].kind == "not_exact"

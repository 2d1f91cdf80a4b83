import pytest

from kaoping.scoring import EntryError, score_item

# seed 003 反向指标: "班子不团结、内耗严重、工作不能正常开展的"
ITEM = {"code": "R2", "text": "班子不团结、内耗严重、工作不能正常开展", "rule": {"kind": "veto"}}
SCORED = {"code": "C1", "text": "x", "max": 5, "rule": {"kind": "scale"}}


def test_veto_triggered_with_note(make_rubric):
    result = score_item(make_rubric([SCORED, ITEM]), "R2", {"triggered": True, "note": "班子内耗"})
    assert (result.triggered, result.reasons) == (True, ("班子内耗",))


def test_veto_missing_entry_is_not_triggered(make_rubric):
    assert score_item(make_rubric([SCORED, ITEM]), "R2", None).triggered is False


def test_veto_cannot_be_marked_falsified(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([SCORED, ITEM]), "R2", {"triggered": True, "falsified": True})
    assert caught.value.problems[0].kind == "cannot_falsify"

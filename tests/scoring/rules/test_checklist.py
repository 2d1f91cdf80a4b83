from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, RubricError, score_item

# "支部书记带头学习、党员领导干部学习、形成学习制度、学习成果发表各得1分，最高得3分" (seed 000, 1.(1))
CRITERIA = [
    {"code": "a", "text": "支部书记带头学习", "points": 1},
    {"code": "b", "text": "党员领导干部学习", "points": 1},
    {"code": "c", "text": "形成学习制度", "points": 1},
    {"code": "d", "text": "学习成果发表", "points": 1},
]
ITEM = {"code": "1.1", "text": "读原著、学原文、悟原理", "max": 3,
        "rule": {"kind": "checklist", "criteria": CRITERIA}}  # fmt: skip


def test_checklist_all_four_met_is_capped_at_three(make_rubric):
    result = score_item(make_rubric([ITEM]), "1.1", {"criteria": ["a", "b", "c", "d"]})
    assert result.score == Decimal(3)


def test_checklist_two_met_lists_the_unmet(make_rubric):
    result = score_item(make_rubric([ITEM]), "1.1", {"criteria": ["a", "c"]})
    assert result.score == Decimal(2)
    assert result.reasons == ("未达到：党员领导干部学习", "未达到：学习成果发表")


def test_checklist_unknown_and_duplicate_criteria_are_reported(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "1.1", {"criteria": ["a", "a", "z"]})
    assert [p.kind for p in caught.value.problems] == ["duplicate_criterion", "unknown_criterion"]


def test_checklist_that_cannot_reach_max_is_a_rubric_error(make_rubric):
    item = dict(ITEM, rule={"kind": "checklist", "criteria": CRITERIA[:2]})
    with pytest.raises(RubricError) as caught:
        make_rubric([item])
    assert [(p.code, p.kind) for p in caught.value.problems] == [("1.1", "checklist_unreachable")]

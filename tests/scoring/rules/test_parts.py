from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, RubricError, score_item

# "积极参与“逐支部观摩、整单位提升”活动，得2分；标准化党支部建设有创新，得3分" (seed 000, 5.(1))
PARTS = [
    {"code": "a", "text": "积极参与观摩活动", "points": 2, "rule": {"kind": "binary"}},
    {"code": "b", "text": "标准化党支部建设有创新", "points": 3, "rule": {"kind": "scale"},
     "department": "组织部"},
]  # fmt: skip
ITEM = {
    "code": "5.1",
    "text": "全面落实省委部署",
    "max": 5,
    "rule": {"kind": "parts", "parts": PARTS},
}


def test_parts_sum_their_answers(make_rubric):
    result = score_item(
        make_rubric([ITEM]), "5.1", {"parts": {"a": {"met": True}, "b": {"score": "2"}}}
    )
    assert result.score == Decimal(4)


def test_parts_missing_and_unknown_part_are_reported(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "5.1", {"parts": {"a": {"met": True}, "x": {}}})
    assert [(p.code, p.kind) for p in caught.value.problems] == [
        ("5.1", "unknown_part"),
        ("5.1/b", "missing"),
    ]


def test_parts_not_adding_up_to_max_is_a_rubric_error(make_rubric):
    with pytest.raises(RubricError) as caught:
        make_rubric([dict(ITEM, max=6)])
    assert "parts_sum" in [p.kind for p in caught.value.problems]


def test_parts_department_is_kept(make_rubric):
    rubric = make_rubric([ITEM])
    assert [p.department for p in rubric.items["5.1"].rule.parts] == [None, "组织部"]

from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_item

# seed 002 考评内容: 考评要点 with no points, rated 好/较好/一般/差
LEVELS = [{"code": c, "label": lab} for c, lab in
          [("good", "好"), ("fairly_good", "较好"), ("average", "一般"), ("poor", "差")]]  # fmt: skip
ITEM = {"code": "1.1", "text": "深入学习贯彻习近平新时代中国特色社会主义思想",
        "rule": {"kind": "qualitative", "levels": LEVELS, "comment_required": True}}  # fmt: skip


def test_qualitative_level_and_comment_without_points(make_rubric):
    result = score_item(make_rubric([ITEM]), "1.1", {"level": "fairly_good", "comment": "学习扎实"})
    assert (result.score, result.level, result.comment) == (Decimal(0), "fairly_good", "学习扎实")


def test_qualitative_missing_required_comment(make_rubric):
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([ITEM]), "1.1", {"level": "good"})
    assert caught.value.problems[0].kind == "missing_comment"


def test_qualitative_levels_mapped_to_points(make_rubric):
    levels = [
        {"code": "good", "label": "好", "points": 5},
        {"code": "poor", "label": "差", "points": 1},
    ]
    item = {"code": "1.2", "text": "x", "rule": {"kind": "qualitative", "levels": levels}}
    rubric = make_rubric([item], points=5)
    assert rubric.items["1.2"].max_points == Decimal(5)
    assert score_item(rubric, "1.2", {"level": "poor"}).score == Decimal(1)

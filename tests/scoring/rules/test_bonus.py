from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_item

# seed 004 加分项目 1: "受到中央、省委、市委发文表彰（分别加3分、2分、1分，同一项目受到不同层级表彰的不能累计，以最高分计"
HONOURS = {"code": "B1", "text": "党建工作成绩显著受表彰", "rule": {"kind": "bonus", "levels": [
    {"code": "central", "label": "中央", "points": 3},
    {"code": "province", "label": "省委", "points": 2},
    {"code": "city", "label": "市委", "points": 1},
]}}  # fmt: skip
# 加分项目 2: "国家级加3分、省级加2分、市级加1分，会议交流或刊物发表的各减半加分"
PRACTICE = {"code": "B2", "text": "创新经验受表彰", "rule": {"kind": "bonus", "levels": [
    {"code": "national", "label": "国家级", "points": 3},
    {"code": "province", "label": "省级", "points": 2},
    {"code": "city", "label": "市级", "points": 1},
], "modifiers": [{"code": "halved", "label": "会议交流或刊物发表", "factor": "0.5"}]}}  # fmt: skip
# 加分项目 4: "优胜项目酌情加分"
FREE = {"code": "B4", "text": "晒比优胜", "rule": {"kind": "bonus", "cap": 2}}
SCORED = {"code": "1.1", "text": "x", "max": 5, "rule": {"kind": "scale"}}


def test_bonus_same_project_counts_only_its_highest_level(make_rubric):
    events = [{"project": "先锋支部", "level": "city"}, {"project": "先锋支部", "level": "central"},
              {"project": "驿站", "level": "province"}]  # fmt: skip
    result = score_item(make_rubric([SCORED, HONOURS]), "B1", {"events": events})
    assert result.amount == Decimal(5)


def test_bonus_conference_or_journal_is_halved(make_rubric):
    events = [{"project": "经验A", "level": "national", "modifier": "halved"}]
    assert score_item(make_rubric([SCORED, PRACTICE]), "B2", {"events": events}).amount == Decimal(
        "1.5"
    )


def test_bonus_discretionary_points_within_cap(make_rubric):
    rubric = make_rubric([SCORED, FREE])
    assert score_item(rubric, "B4", {"events": [{"points": "1.5"}]}).amount == Decimal("1.5")
    with pytest.raises(EntryError) as caught:
        score_item(rubric, "B4", {"events": [{"points": "3"}]})
    assert caught.value.problems[0].kind == "out_of_range"


def test_bonus_unknown_level_and_modifier(make_rubric):
    events = [
        {"project": "A", "level": "county"},
        {"project": "B", "level": "city", "modifier": "x"},
    ]
    with pytest.raises(EntryError) as caught:
        score_item(make_rubric([SCORED, PRACTICE]), "B2", {"events": events})
    assert [p.kind for p in caught.value.problems] == ["unknown_level", "unknown_modifier"]

"""Seed 002: 2020年省直机关营造“三个氛围”创建模范机关考评内容 — qualitative, no points.

Every expected count and text below is read from the document (附件2), not from the YAML.
"""

from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_sheet

ID = "seed002-model-organ-evaluation"


def test_sections_are_the_three_types_with_no_points(rubric):
    r = rubric(ID)

    assert [(s.title, s.points) for s in r.sections] == [
        ("目标任务", 0),
        ("推进措施", 0),
        ("建成效果", 0),
    ]
    assert r.full_marks == 0


def test_target_tasks_are_the_four_model_organ_aspects(rubric):
    section = rubric(ID).section("1")

    assert [g.title for g in section.groups] == [
        "带头营造学的氛围，创建政治忠诚的模范机关",
        "带头营造严的氛围，创建务实清廉的模范机关",
        "带头营造干的氛围，创建争先出彩的模范机关",
        "带头夯实基层基础，创建组织过硬的模范机关",
    ]


def test_item_counts(rubric):
    r = rubric(ID)
    per_group = {}
    for item in r.section("1").items:
        per_group[item.group] = per_group.get(item.group, 0) + 1

    # (一) 1–3, (二) 1–3, (三) 1–3, (四) 1–4; 推进措施 1–4; 建成效果 1–4
    assert per_group == {"1.1": 3, "1.2": 3, "1.3": 3, "1.4": 4}
    assert len(r.section("2").items) == 4
    assert len(r.section("3").items) == 4


def test_every_item_is_qualitative_without_points(rubric):
    for item in rubric(ID).items.values():
        assert item.kind == "qualitative"
        assert item.max_points == 0
        assert [level.label for level in item.rule.levels] == ["好", "较好", "一般", "差"]


def test_remarks_are_kept_with_their_evaluation_points(rubric):
    items = rubric(ID).items

    assert items["1.2.2"].standard == "会议、文件、检查、考核在2019年的基础上只减不增。"
    assert (
        items["1.4.2"].standard
        == "“四强”支部标准：政治功能强、支部班子强、党员队伍强、作用发挥强。"
    )
    assert items["1.3.2"].standard.startswith("“五比一争”活动要结合本单位工作任务实际")


def test_texts_are_the_documents(rubric):
    items = rubric(ID).items

    assert (
        items["2.4"].text == "加强创建工作宣传、总结推广经验做法，激发创建热情，营造创建氛围情况。"
    )
    assert items["3.2"].text.startswith("推动本单位年度中心任务圆满完成")


def test_a_sheet_records_levels_and_comments_and_scores_nothing(rubric):
    r = rubric(ID)
    entries = {code: {"level": "good"} for code in r.items}
    entries["2.1"] = {"level": "average", "comment": "班子成员联系指导不够经常"}

    result = score_sheet(r, entries)

    assert result.total == Decimal(0)
    assert result.items["1.1.1"].level == "good"
    assert result.items["2.1"].level == "average"
    assert result.items["2.1"].comment == "班子成员联系指导不够经常"
    assert result.grade is None


def test_a_missing_level_is_reported(rubric):
    r = rubric(ID)
    entries = {code: {"level": "good"} for code in r.items if code != "3.4"}

    with pytest.raises(EntryError) as caught:
        score_sheet(r, entries)

    assert [p.code for p in caught.value.problems] == ["3.4"]

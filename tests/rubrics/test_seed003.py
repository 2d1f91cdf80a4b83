"""Seed 003: 以评促建指标 — 15 common slots × 5 + 5 individual slots × 5 = 100, 7 vetoes, 达标/不达标.

Every expected number below is read from the document (附件1), not from the YAML, except the split of
the 15 common slots over their four groups and the pass mark, which the document does not give (see
the rubric file's header).
"""

from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_sheet

ID = "seed003-branch-compliance"

# "共性指标从有坚强有力的领导班子、有素质过硬的党员队伍、有健全完善的工作机制、有稳定有效的基础保障4个方面设置15项"
GROUPS = [
    "有坚强有力的领导班子",
    "有素质过硬的党员队伍",
    "有健全完善的工作机制",
    "有稳定有效的基础保障",
]

VETOES = [
    "党支部书记不称职或不胜任现职，工作处于停滞状态的",
    "班子不团结、内耗严重、工作不能正常开展的",
    "组织制度形同虚设、不开展党组织活动的",
    "党务、政务、厂务公开和民主管理混乱的",
    "2019年以来，发生重大群体性事件、各类重大责任事故的",
    "2019年以来，党支部书记发生严重违纪违法案件受到留党察看以上（含留党察看）处分的",
    "党员教育管理宽松软，存在党员信仰宗教、参与宗教活动、搞封建迷信问题，未及时教育处置，听之任之的",
]


def _written(rubric):
    """Slot wordings as an organizer (common) and a unit (individual) would supply them."""
    custom = {}
    for item in rubric.items.values():
        if item.kind == "custom_slots":
            n = item.rule.max_slots
            custom[item.code] = [
                {"code": f"{item.code}-{i}", "text": f"（{item.text}第{i}项）"}
                for i in range(1, n + 1)
            ]
    return custom


def test_whole_and_section_points(rubric):
    r = rubric(ID)

    # "总分为100分，其中共性指标15项，每项5分，共75分；个性指标5项，每项5分，共25分"
    assert r.full_marks == 100
    assert [(s.title, s.points) for s in r.sections] == [
        ("共性指标", 75),
        ("个性指标", 25),
        ("反向指标", 0),
    ]


def test_common_indicators_are_15_five_point_slots_in_the_four_groups(rubric):
    section = rubric(ID).section("1")

    assert [item.text for item in section.items] == GROUPS
    assert {item.kind for item in section.items} == {"custom_slots"}
    assert sum(item.rule.max_slots for item in section.items) == 15
    assert {item.rule.points_each for item in section.items} == {5}
    assert {item.rule.written_by for item in section.items} == {"organizer"}
    # the split is not in the document: an even one, documented in the file
    assert sorted(item.rule.max_slots for item in section.items) == [3, 4, 4, 4]


def test_individual_indicators_are_5_five_point_slots_written_by_the_unit(rubric):
    [item] = rubric(ID).section("2").items

    assert (item.rule.min_slots, item.rule.max_slots, item.rule.points_each) == (5, 5, 5)
    assert item.rule.written_by == "organization"
    assert item.max_points == 25


def test_seven_distinct_vetoes(rubric):
    section = rubric(ID).section("3")

    assert [item.text for item in section.items] == VETOES
    assert {item.kind for item in section.items} == {"veto"}
    assert len(set(VETOES)) == 7


def test_grades_are_pass_and_fail(rubric):
    grades = rubric(ID).outcome.grades

    assert [band.label for band in grades] == ["达标", "不达标"]
    assert rubric(ID).outcome.fail_grade == "不达标"


def test_a_full_sheet_scores_100_and_passes(rubric, full):
    r = rubric(ID)
    custom = _written(r)

    result = score_sheet(r, full(r, custom_items=custom), custom_items=custom)

    assert result.total == 100
    assert result.grade == "达标"
    assert result.vetoes == ()


def test_one_veto_triggered_fails_even_with_full_points(rubric, full):
    r = rubric(ID)
    custom = _written(r)
    entries = full(r, custom_items=custom) | {
        "V5": {"triggered": True, "note": "2020年发生重大责任事故"}
    }

    result = score_sheet(r, entries, custom_items=custom)

    assert result.total == 100
    assert result.vetoes == ("V5",)
    assert result.grade == "不达标"


def test_slot_scores_add_up(rubric, full):
    r = rubric(ID)
    custom = _written(r)
    entries = full(r, custom_items=custom)
    entries["C1"]["slots"]["C1-1"] = {"score": "3.5"}
    entries["I"]["slots"]["I-5"] = {"score": "0"}

    result = score_sheet(r, entries, custom_items=custom)

    assert result.items["C1"].score == Decimal("18.5")
    assert result.items["I"].score == 20
    assert result.total == Decimal("93.5")


def test_unwritten_individual_indicators_are_refused(rubric, full):
    r = rubric(ID)
    custom = _written(r)
    custom["I"] = custom["I"][:4]  # only 4 of the 5 个性指标 written
    entries = full(r, custom_items=custom)

    with pytest.raises(EntryError) as caught:
        score_sheet(r, entries, custom_items=custom)

    assert {p.code for p in caught.value.problems} == {"I"}

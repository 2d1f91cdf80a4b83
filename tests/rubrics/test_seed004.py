"""Seed 004: “五星示范、双优引领”成效标准 — five stars 100 + 业绩优 20, bonus capped at 10.

Every expected number below is read from the document (绍市委办综〔2020〕12号), not from the YAML.
"""

from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_sheet

ID = "seed004-five-star"

# 项目: 学习星 25分 … 创新星 15分 (党建优), 业绩优 20分, 加分项目 (上限10分).
SECTIONS = [("学习星", 25), ("规范星", 25), ("服务星", 20), ("民主星", 15), ("创新星", 15),
            ("业绩优", 20), ("加分项目（上限10分）", 0)]  # fmt: skip

# the numbered 创新标准 of each star with their "(N分)".
GROUPS = {
    "1.1": ("明确学习教育内容", 10), "1.2": ("执行学习教育制度", 7), "1.3": ("加强学习教育培训", 8),
    "2.1": ("责任机制规范", 10), "2.2": ("组织设置规范", 5), "2.3": ("组织生活规范", 10),
    "3.1": ("服务中心有成效", 6), "3.2": ("服务基层有举措", 6), "3.3": ("服务干部职工有机制", 8),
    "4.1": ("完善党内监督", 5), "4.2": ("健全监督教育", 4), "4.3": ("强化纪律作风", 6),
    "5.1": ("创新工作理念", 3), "5.2": ("创新工作载体", 8), "5.3": ("创新管理平台", 4),
}  # fmt: skip

# 重扣分项 printed beside each star, and beside 业绩优.
MAJOR = {"1": 3, "2": 2, "3": 2, "4": 2, "5": 2, "6": 1}


def _major(amount, note="重扣分项"):
    return {"occurrences": [{"amount": str(amount), "note": note}]}


def test_whole_and_section_points(rubric):
    r = rubric(ID)

    assert [(s.title, s.points) for s in r.sections] == SECTIONS
    assert sum(points for _, points in SECTIONS[:5]) == 100  # 党建优
    assert r.full_marks == 100 + 20
    assert r.bonus_cap == 10
    assert r.falsification_factor == 2  # 加倍倒扣


def test_group_points_and_that_items_add_up_to_them(rubric):
    r = rubric(ID)
    groups = {g.code: (g.title, g.points) for s in r.sections for g in s.groups}

    assert groups == GROUPS
    for code, (_, points) in GROUPS.items():
        items = [i for i in r.items.values() if i.group == code]
        assert sum(i.max_points for i in items) == points


def test_item_counts(rubric):
    r = rubric(ID)
    scored = {s.code: sum(1 for i in s.items if i.effect == "points") for s in r.sections}
    majors = {s.code: sum(1 for i in s.items if i.kind == "major_deduction") for s in r.sections}

    assert scored == {"1": 10, "2": 12, "3": 10, "4": 9, "5": 7, "6": 3, "7": 0}
    assert {k: v for k, v in majors.items() if v} == MAJOR
    assert [i.code for i in r.section("7").items] == [f"7.{n}" for n in range(1, 7)]
    assert {i.kind for i in r.section("7").items} == {"bonus"}


def test_specific_items_against_the_document(rubric):
    items = rubric(ID).items

    # "机关基层党组织每年至少2次以上研判党员思想状况（2分，每次1分）"
    assert (items["1.1.5"].kind, items["1.1.5"].max_points, items["1.1.5"].rule.unit) == (
        "per_occurrence", 2, 1)  # fmt: skip
    # "积极参加工委组织的培训（6分，不按规定参加或培训考试成绩未达到要求的，每次扣0.5分）"
    assert (items["1.3.2"].kind, items["1.3.2"].max_points, items["1.3.2"].rule.unit) == (
        "deduction", 6, Decimal("0.5"))  # fmt: skip
    # 民主星 3. 强化纪律作风（6分）: 1 / 0.8 / 0.6 / 0.5 分每人次，扣完为止
    rule = items["4.3.1"].rule
    assert items["4.3.1"].kind == "graded_deduction"
    assert [(c.label, c.unit) for c in rule.categories] == [
        ("主要领导", 1), ("其他市管干部", Decimal("0.8")),
        ("科级干部", Decimal("0.6")), ("其他党员", Decimal("0.5")),
    ]  # fmt: skip
    # "优秀单位得10分，良好单位得8分"
    assert [(lv.label, lv.points) for lv in items["6.1"].rule.levels][:2] == [
        ("优秀", 10),
        ("良好", 8),
    ]
    # 组织生活会（1分）、民主评议党员制度（0.5分）
    assert [p.points for p in items["4.1.1"].rule.parts] == [1, Decimal("0.5")]


def test_a_full_sheet_scores_120_and_lights_five_stars(rubric, full):
    r = rubric(ID)

    result = score_sheet(r, full(r))

    assert result.total == 120
    assert [s.score for s in result.sections] == [25, 25, 20, 15, 15, 20, 0]
    assert result.stars == ("学习星", "规范星", "服务星", "民主星", "创新星")


def test_democracy_star_per_person_deductions(rubric, full):
    r = rubric(ID)
    entries = full(r) | {"4.3.1": {"counts": {"principal": 1, "member": 2}, "reason": "违纪"}}

    result = score_sheet(r, entries)

    assert result.items["4.3.1"].score == 6 - 1 - 2 * Decimal("0.5")


def test_per_person_deductions_stop_at_zero(rubric, full):
    # "扣完为止": 3 主要领导 + 4 其他市管干部 = 6.2 > 6
    r = rubric(ID)
    entries = full(r) | {"4.3.1": {"counts": {"principal": 3, "city_cadre": 4}, "reason": "违纪"}}

    assert score_sheet(r, entries).items["4.3.1"].score == 0


def test_half_yearly_reports_and_unfulfilled_items(rubric, full):
    # "3分，每半年报送1次开展情况，每次1.5分，未落实的每项扣0.2分": one report, two items undone
    r = rubric(ID)
    entries = full(r) | {"1.1.4": {"counts": {"report_missed": 1, "not_carried_out": 2}}}

    assert score_sheet(r, entries).items["1.1.4"].score == Decimal("1.5") - 2 * Decimal("0.2")


def test_per_occurrence_is_capped(rubric, full):
    # "2分，每次1分": three 研判 still give 2
    r = rubric(ID)

    assert score_sheet(r, full(r) | {"1.1.5": {"count": 3}}).items["1.1.5"].score == 2
    assert score_sheet(r, full(r) | {"1.1.5": {"count": 1}}).items["1.1.5"].score == 1


def test_tiered_good_unit(rubric, full):
    r = rubric(ID)

    result = score_sheet(r, full(r) | {"6.1": {"level": "good"}})

    assert result.items["6.1"].score == 8
    assert result.total == 118


def test_bonus_highest_level_per_project_and_halving(rubric, full):
    r = rubric(ID)
    entries = full(r) | {
        # the same project commended by 中央 and 市委: "不能累计，以最高分计" → 3
        "7.1": {
            "events": [{"project": "A", "level": "central"}, {"project": "A", "level": "city"}]
        },
        # 省级, by 会议交流: "各减半加分" → 1
        "7.2": {"events": [{"project": "B", "level": "province", "modifier": "halved"}]},
    }

    result = score_sheet(r, entries)

    assert result.bonus == 4
    assert result.total == 124


def test_bonus_is_capped_at_10(rubric, full):
    r = rubric(ID)
    entries = full(r) | {
        "7.1": {"events": [{"project": p, "level": "central"} for p in "ABCD"]},  # 12
        "7.3": {"events": [{"project": "驿站", "level": "station"}]},  # 1
    }

    result = score_sheet(r, entries)

    assert result.bonus_claimed == 13
    assert result.bonus == 10
    assert result.total == 130


def test_a_major_deduction_is_subtracted_and_blocks_its_star(rubric, full):
    r = rubric(ID)
    entries = full(r) | {"2.M1": _major(6, "机关党组织书记空缺4个月")}

    result = score_sheet(r, entries)

    assert result.major_deductions == 6
    assert result.total == 114
    assert "规范星" not in result.stars
    assert len(result.stars) == 4


@pytest.mark.parametrize("amount", [5, 10])
def test_major_deductions_of_5_to_10_are_accepted(rubric, full, amount):
    # "出现重扣分项情形的，每项扣5-10分"
    r = rubric(ID)

    result = score_sheet(r, full(r) | {"6.M1": _major(amount, "行风评议末三位")})

    assert result.total == 120 - amount


@pytest.mark.parametrize("amount", [4, "10.5"])
def test_a_major_deduction_outside_5_to_10_is_refused(rubric, full, amount):
    r = rubric(ID)

    with pytest.raises(EntryError) as caught:
        score_sheet(r, full(r) | {"1.M3": _major(amount)})

    assert [p.code for p in caught.value.problems] == ["1.M3"]


def test_a_falsified_item_is_deducted_double(rubric, full):
    # "发现有弄虚作假的，相应项目加倍倒扣": 1.1.3 claimed 2 → −4
    r = rubric(ID)
    entries = full(r) | {"1.1.3": {"score": "2", "falsified": True}}

    result = score_sheet(r, entries)

    assert result.items["1.1.3"].score == -4
    assert result.total == 120 - 2 - 4

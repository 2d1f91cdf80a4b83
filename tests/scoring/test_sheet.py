from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_sheet

GRADES = {"grades": [{"label": "优秀", "min": 90}, {"label": "良好", "min": 80},
                     {"label": "一般", "min": 60}, {"label": "较差"}]}  # fmt: skip


def five_star_like():
    """Two stars of seed 004 shrunk to a few items, with bonus, major deductions and stars."""
    return {
        "id": "stars", "title": "五星", "issuer": "测试", "year": 2020, "version": 1,
        "applies_to": ["branch", "organ_committee"], "full_marks": 20, "bonus_cap": 3,
        "sections": [
            {"code": "1", "title": "学习星", "points": 10, "items": [
                {"code": "1.1", "text": "学习内容", "max": 6, "rule": {"kind": "scale"}},
                {"code": "1.2", "text": "研判思想状况", "max": 4,
                 "rule": {"kind": "per_occurrence", "unit": 2}},
                {"code": "1.M", "text": "重扣分项", "rule": {"kind": "major_deduction", "min": 5, "max": 10}},
            ]},
            {"code": "2", "title": "民主星", "points": 10, "items": [
                {"code": "2.1", "text": "纪律作风", "max": 10, "rule": {"kind": "deduction"}},
                {"code": "2.2", "text": "仅党支部", "max": 0, "rule": {"kind": "veto"}, "applies_to": ["branch"]},
            ]},
            {"code": "B", "title": "加分项目", "points": 0, "items": [
                {"code": "B1", "text": "表彰", "rule": {"kind": "bonus", "levels": [
                    {"code": "central", "label": "中央", "points": 3},
                    {"code": "city", "label": "市委", "points": 1}]}},
            ]},
        ],
        "outcome": {"grades": [{"label": "优秀", "min": 18}, {"label": "合格", "min": 10}, {"label": "不合格"}],
                    "stars": [{"section": "1", "label": "学习星", "threshold": "0.8"},
                              {"section": "2", "label": "民主星", "threshold": "0.8"}]},
    }  # fmt: skip


def test_sheet_total_is_sections_plus_capped_bonus_minus_major(make_rubric):
    from kaoping.scoring import parse_rubric

    data = five_star_like()
    data["sections"][1]["items"][1].pop("max")
    rubric = parse_rubric(data)
    entries = {
        "1.1": {"score": "5.5"},
        "1.2": {"count": 1},
        "1.M": {"occurrences": [{"amount": 5, "note": "未及时传达"}]},
        "2.1": {"deductions": [{"amount": "1.5", "reason": "被通报批评"}]},
        "B1": {"events": [{"project": "A", "level": "central"}, {"project": "B", "level": "city"}]},
    }
    sheet = score_sheet(rubric, entries)
    assert [s.score for s in sheet.sections] == [Decimal("7.5"), Decimal("8.5"), Decimal(0)]
    assert (sheet.bonus_claimed, sheet.bonus, sheet.major_deductions) == (
        Decimal(4),
        Decimal(3),
        Decimal(5),
    )
    assert sheet.total == Decimal("14.00")
    assert sheet.grade == "合格"
    # 学习星 has a major deduction; 民主星 8.5 ≥ 0.8 × 10
    assert sheet.stars == ("民主星",)
    assert [(x.item, x.kind, x.points) for x in sheet.lost] == [
        ("1.1", "points", Decimal("0.5")),
        ("1.2", "points", Decimal(2)),
        ("1.M", "major", Decimal(5)),
        ("2.1", "points", Decimal("1.5")),
    ]


def test_sheet_veto_forces_the_failing_grade(make_rubric):
    items = [{"code": "1.1", "text": "a", "max": 100, "rule": {"kind": "scale"}},
             {"code": "R1", "text": "反向", "rule": {"kind": "veto"}}]  # fmt: skip
    rubric = make_rubric(
        items, outcome={"grades": [{"label": "达标", "min": 60}, {"label": "不达标"}]}
    )
    sheet = score_sheet(
        rubric, {"1.1": {"score": 95}, "R1": {"triggered": True, "note": "书记不胜任"}}
    )
    assert (sheet.vetoes, sheet.grade) == (("R1",), "不达标")


def test_sheet_errors_carry_every_problem(make_rubric):
    items = [{"code": "1.1", "text": "a", "max": 5, "rule": {"kind": "scale"}},
             {"code": "1.2", "text": "b", "max": 5, "rule": {"kind": "per_occurrence", "unit": 1}},
             {"code": "1.3", "text": "c", "max": 5, "rule": {"kind": "binary"}}]  # fmt: skip
    with pytest.raises(EntryError) as caught:
        score_sheet(
            make_rubric(items), {"1.1": {"score": "6"}, "1.2": {"count": -2}, "9": {"score": 1}}
        )
    assert [(p.code, p.kind) for p in caught.value.problems] == [
        ("9", "unknown_item"), ("1.1", "above_max"), ("1.2", "negative_count"), ("1.3", "missing"),
    ]  # fmt: skip


def test_sheet_draft_allows_missing_items(make_rubric):
    items = [{"code": "1.1", "text": "a", "max": 5, "rule": {"kind": "scale"}},
             {"code": "1.2", "text": "b", "max": 5, "rule": {"kind": "binary"}}]  # fmt: skip
    sheet = score_sheet(make_rubric(items), {"1.1": {"score": 4}}, allow_missing=True)
    assert (sheet.total, sheet.missing) == (Decimal("4.00"), ("1.2",))


def test_sheet_not_applicable_is_scaled_to_full_marks(make_rubric):
    items = [{"code": "1.1", "text": "a", "max": 60, "step": 1, "rule": {"kind": "scale"}},
             {"code": "1.2", "text": "教学单位", "max": 40, "rule": {"kind": "scale"},
              "applies_to": ["general_branch"]},
             {"code": "1.3", "text": "c", "max": 0, "rule": {"kind": "veto"}}]  # fmt: skip
    items[2].pop("max")
    rubric = make_rubric(items, outcome=GRADES)
    sheet = score_sheet(rubric, {"1.1": {"score": 54}}, org_kind="branch")
    assert (sheet.total, sheet.applicable_max, sheet.scaled_total) == (
        Decimal("54.00"), Decimal(60), Decimal("90.00"),
    )  # fmt: skip
    assert sheet.grade == "优秀"


def test_sheet_rater_may_mark_not_applicable_only_where_allowed(make_rubric):
    items = [{"code": "1.1", "text": "a", "max": 5, "rule": {"kind": "scale"}, "not_applicable_allowed": True},
             {"code": "1.2", "text": "b", "max": 5, "rule": {"kind": "scale"}}]  # fmt: skip
    rubric = make_rubric(items)
    sheet = score_sheet(rubric, {"1.1": {"na": True}, "1.2": {"score": 4}})
    assert (sheet.applicable_max, sheet.scaled_total) == (Decimal(5), Decimal("8.00"))
    with pytest.raises(EntryError) as caught:
        score_sheet(rubric, {"1.1": {"score": 1}, "1.2": {"na": True}})
    assert caught.value.problems[0].kind == "na_not_allowed"


def test_sheet_weighted_sections(make_rubric):
    from kaoping.scoring import parse_rubric

    data = make_rubric.__wrapped__ if hasattr(make_rubric, "__wrapped__") else None
    assert data is None
    from .conftest import rubric_mapping

    data = rubric_mapping(
        [{"code": "1.1", "text": "a", "max": 100, "step": 1, "rule": {"kind": "scale"}}]
    )
    data["sections"][0]["weight"] = "0.2"
    data["sections"].append({"code": "2", "title": "二", "points": 100, "weight": "0.8",
                             "items": [{"code": "2.1", "text": "b", "max": 100, "step": 1,
                                        "rule": {"kind": "scale"}}]})  # fmt: skip
    data["full_marks"] = 100
    sheet = score_sheet(parse_rubric(data), {"1.1": {"score": 90}, "2.1": {"score": 80}})
    assert sheet.total == Decimal("82.00")


def test_sheet_in_item_bonus_has_its_own_cap(make_rubric):
    item = {"code": "1.1", "text": "a", "max": 5, "rule": {"kind": "scale"},
            "item_bonus": {"unit": 1, "cap": 1, "text": "奖1分，封顶1分"}}  # fmt: skip
    sheet = score_sheet(make_rubric([item]), {"1.1": {"score": "4", "bonus_count": 3}})
    assert sheet.items["1.1"].score == Decimal(5)


def test_a_count_in_odd_digits_is_a_problem_not_a_crash(make_rubric):
    # "²".isdigit() is True but int("²") raises: the count is reported, with its item code
    from kaoping.scoring import EntryError, score_sheet

    rubric = make_rubric([{"code": "A", "text": "按次", "max": 2,
                           "rule": {"kind": "per_occurrence", "unit": 1}}])  # fmt: skip
    for bad in ("²", "1.5", "+1", ""):
        with pytest.raises(EntryError) as err:
            score_sheet(rubric, {"A": {"count": bad}})
        assert [(p.code, p.kind) for p in err.value.problems] == [("A", "not_a_count")]
    assert score_sheet(rubric, {"A": {"count": " 2 "}}).total == 2
    with pytest.raises(EntryError) as err:
        score_sheet(rubric, {"A": {"count": "-1"}})
    assert err.value.problems[0].kind == "negative_count"

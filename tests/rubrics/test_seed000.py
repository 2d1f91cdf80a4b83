"""Seed 000: 省直单位模范机关创建先进党支部考核标准（试行）, 4 sections × 25 = 100.

Every expected number below is read from the document (附件2 of 豫水党〔2020〕9号), not from the YAML.
"""

from decimal import Decimal

import pytest

from kaoping.scoring import EntryError, score_sheet

ID = "seed000-model-organ-branch"

# (一)…(四): each "(25分)".
SECTIONS = {"一": 25, "二": 25, "三": 25, "四": 25}

# 分值 of every 具体要求, keyed <主要内容>.<具体要求>, from the table.
POINTS = {
    "1.1": 3, "1.2": 3, "1.3": 2,
    "2.1": 4, "2.2": 3, "2.3": 2, "2.4": 2,
    "3.1": 3, "3.2": 3,
    "4.1": 6, "4.2": 3, "4.3": 3,
    "5.1": 5, "5.2": 4, "5.3": 4,
    "6.1": 2, "6.2": 1, "6.3": 1, "6.4": 2,
    "7.1": 6, "7.2": 4,
    "8.1": 3, "8.2": 3, "8.3": 3,
    "9.1": 6,
    "10.1": 2,
    "11.1": 5,
    "12.1": 4, "12.2": 5, "12.3": 3,
}  # fmt: skip

# 主要内容 1…12 and the section each belongs to.
GROUPS = {
    "1": "一", "2": "一", "3": "一",
    "4": "二", "5": "二",
    "6": "三", "7": "三", "8": "三",
    "9": "四", "10": "四", "11": "四", "12": "四",
}  # fmt: skip


def test_whole_and_section_points(rubric):
    r = rubric(ID)

    assert r.full_marks == 100
    assert {s.code: s.points for s in r.sections} == SECTIONS
    assert sum(SECTIONS.values()) == 100


def test_item_count_per_section(rubric):
    r = rubric(ID)

    counts = {s.code: len(s.items) for s in r.sections}

    assert counts == {"一": 9, "二": 6, "三": 9, "四": 6}


def test_every_item_max_matches_the_document(rubric):
    r = rubric(ID)

    assert {code: item.max_points for code, item in r.items.items()} == POINTS


def test_items_sit_in_their_main_content_and_section(rubric):
    r = rubric(ID)

    for code, item in r.items.items():
        group = code.split(".")[0]
        assert item.group == group
        assert item.section == GROUPS[group]


def test_item_1_1_is_a_capped_checklist_of_four_one_point_criteria(rubric):
    # "支部书记带头学习、党员领导干部学习、形成学习制度、学习成果发表各得1分，最高得3分。"
    item = rubric(ID).items["1.1"]

    assert item.kind == "checklist"
    assert [c.text for c in item.rule.criteria] == [
        "支部书记带头学习",
        "党员领导干部学习",
        "形成学习制度",
        "学习成果发表",
    ]
    assert all(c.points == 1 for c in item.rule.criteria)
    assert item.max_points == 3


def test_rule_kinds_follow_the_scoring_standard_wording(rubric):
    items = rubric(ID).items

    assert items["1.3"].kind == "binary"  # 支部上党课每年不少于1次，得2分。
    assert items["2.1"].kind == "scale"  # 酌情打分，最高得4分。
    assert items["2.3"].kind == "binary"  # 无违反党的政治纪律和政治规矩的，得2分。
    assert items["6.4"].kind == "checklist"  # …得1分；…得1分；…得1分。最高得2分。
    assert items["12.3"].kind == "checklist"  # …得1分；…得1分；…得1分。最高得3分。
    # 积极参与…得2分；标准化党支部建设有创新，得3分。
    assert items["5.1"].kind == "parts"
    assert [p.points for p in items["5.1"].rule.parts] == [2, 3]
    # …得4分；“三直联”党建联系点制度落实较好的，得2分。
    assert [p.points for p in items["4.1"].rule.parts] == [4, 2]


def test_texts_and_standards_are_the_documents(rubric):
    r = rubric(ID)

    assert r.items["1.3"].text == "坚持讲专题党课。"
    assert r.items["1.3"].standard == "支部上党课每年不少于1次，得2分。"
    assert r.items["2.3"].standard == "无违反党的政治纪律和政治规矩的，得2分。"
    assert r.section("三").title == "在建设务实清廉的模范机关方面"
    assert r.section("一").groups[0].title == (
        "在深入学习贯彻习近平新时代中国特色社会主义思想上作表率。"
    )


def test_a_full_sheet_scores_100(rubric, full):
    r = rubric(ID)

    result = score_sheet(r, full(r))

    assert result.total == 100
    assert [s.score for s in result.sections] == [25, 25, 25, 25]
    assert result.lost == ()


def test_checklist_is_capped_at_its_max(rubric, full):
    # all four criteria met still give 3 ("最高得3分"); two of three in 6.4 give 2
    r = rubric(ID)
    entries = full(r) | {"6.4": {"criteria": ["a", "c"]}, "1.1": {"criteria": ["a", "b", "c", "d"]}}

    result = score_sheet(r, entries)

    assert result.items["1.1"].score == 3
    assert result.items["6.4"].score == 2


def test_lost_points_are_listed_per_item(rubric, full):
    r = rubric(ID)
    entries = full(r) | {
        "1.3": {"met": False},  # no 党课 this year: −2
        "5.1": {"parts": {"a": {"met": True}, "b": {"met": False}}},  # no innovation: −3
        "2.1": {"score": "2.5"},  # 酌情打分: −1.5
    }

    result = score_sheet(r, entries)

    assert result.total == Decimal("93.5")
    assert {lost.item: lost.points for lost in result.lost} == {
        "1.3": 2,
        "5.1": 3,
        "2.1": Decimal("1.5"),
    }


def test_a_scale_above_its_max_is_refused(rubric, full):
    r = rubric(ID)

    with pytest.raises(EntryError) as caught:
        score_sheet(r, full(r) | {"6.2": {"score": "1.5"}})

    assert [p.code for p in caught.value.problems] == ["6.2"]

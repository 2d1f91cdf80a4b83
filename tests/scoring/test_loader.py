from decimal import Decimal

import pytest

from kaoping.scoring import RubricError, load_rubric, parse_rubric

from .conftest import rubric_mapping

ITEMS = [
    {"code": "1.1", "text": "a", "max": 3, "rule": {"kind": "scale"}},
    {"code": "1.2", "text": "b", "max": 2, "rule": {"kind": "binary"}},
]


def test_loader_reads_yaml_numbers_as_exact_decimals(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "id: t\ntitle: 测试\nissuer: 测试\nyear: 2020\nversion: 1\napplies_to: [branch]\n"
        "full_marks: 0.5\nsections:\n  - code: '1'\n    title: 一\n    points: 0.5\n"
        "    items:\n      - {code: '1.1', text: a, max: 0.5, step: 0.1, rule: {kind: scale}}\n",
        encoding="utf-8",
    )
    rubric = load_rubric(path)
    assert (rubric.full_marks, rubric.items["1.1"].step) == (Decimal("0.5"), Decimal("0.1"))


def test_loader_reports_every_problem_with_its_code():
    data = rubric_mapping(ITEMS, points=6)
    data["full_marks"] = "100"
    data["sections"][0]["items"].append(
        {"code": "1.1", "text": "dup", "max": 1, "rule": {"kind": "magic"}}
    )
    data["sections"][0]["items"].append({"code": "1.3", "text": "c", "max": "1.5", "step": "1",
                                         "rule": {"kind": "scale"}})  # fmt: skip
    with pytest.raises(RubricError) as caught:
        parse_rubric(data)
    found = [(p.code, p.kind) for p in caught.value.problems]
    assert found == [
        ("1.1", "duplicate_code"),
        ("1.1", "unknown_kind"),
        ("1.3", "off_step"),
        ("1", "section_sum"),
        ("rubric", "full_marks_sum"),
    ]
    assert "合计7.5分" in caught.value.problems[3].message


def test_loader_refuses_floats_in_mappings():
    data = rubric_mapping(
        [{"code": "1.1", "text": "a", "max": 0.5, "rule": {"kind": "scale"}}], points="0.5"
    )
    with pytest.raises(RubricError) as caught:
        parse_rubric(data)
    assert caught.value.problems[0].kind == "not_exact"


def test_loader_unknown_org_kind_and_unknown_key():
    data = rubric_mapping(ITEMS, applies_to=["branch", "township"])
    data["sections"][0]["items"][0]["maxx"] = 3
    with pytest.raises(RubricError) as caught:
        parse_rubric(data)
    assert [p.kind for p in caught.value.problems] == ["unknown_org_kind", "unknown_key"]


def test_loader_weighted_sections_add_up_to_full_marks():
    data = rubric_mapping(ITEMS)
    second = {"code": "2", "title": "二", "points": 5, "weight": "0.6",
              "items": [{"code": "2.1", "text": "c", "max": 5, "rule": {"kind": "scale"}}]}  # fmt: skip
    data["sections"][0]["weight"] = "0.4"
    data["sections"].append(second)
    data["full_marks"] = 5
    rubric = parse_rubric(data)
    assert [s.weight for s in rubric.sections] == [Decimal("0.4"), Decimal("0.6")]


def test_loader_group_points_are_checked():
    data = rubric_mapping([dict(i, group="G") for i in ITEMS])
    data["sections"][0]["groups"] = [{"code": "G", "title": "明确学习教育内容", "points": 4}]
    with pytest.raises(RubricError) as caught:
        parse_rubric(data)
    assert [(p.code, p.kind) for p in caught.value.problems] == [("G", "group_sum")]


def test_loader_grades_must_descend():
    data = rubric_mapping(ITEMS, outcome={"grades": [{"label": "良好", "min": 80}, {"label": "优秀", "min": 90},
                                                     {"label": "较差"}]})  # fmt: skip
    with pytest.raises(RubricError) as caught:
        parse_rubric(data)
    assert [p.kind for p in caught.value.problems] == ["grade_order"]

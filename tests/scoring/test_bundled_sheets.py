"""Every bundled standard through the clerk's round trip: the blank template written by the
workbook code, filled with openpyxl, read back and scored.

A full-marks answer in every input cell (or the documented blank — "nothing happened" — for
deduction, graded-deduction, major-deduction, veto, bonus and ledger rows) scores the rubric's full
marks; one lost-points case per standard gives the total worked out by hand from the document."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kaoping.rubrics import list_bundled
from kaoping.scoring import score_sheet
from kaoping.scoring.workbook import read_workbook, write_template
from kaoping.scoring.workbook.layout import CHOICE, DECIMAL, DEDUCT, WHOLE, plan_section

from .test_workbook import fill, header_columns, row_of

RUBRICS = {rubric.id: rubric for rubric in list_bundled()}


def _best_choice(row, shape: dict) -> str:
    """The label of the choice that gives full marks (or, for qualitative levels without points,
    the n-th level, so that every level of seed 002 is written and read back)."""
    choices = row.input.choices
    kind = shape["kind"]
    if kind == "veto":
        return next(label for label, value in choices if value is False)
    if kind in ("binary", "checklist", "parts", "custom_slots"):
        return next(label for label, value in choices if value is True)
    levels = shape["levels"]
    best = max(levels, key=lambda x: x["points"] or Decimal(0))
    return next(label for label, value in choices if value == best["code"])


def full_marks_cells(rubric) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """{code: {column: value}} for a full-marks sheet, and the qualitative level written per item."""
    cells: dict[str, dict[str, object]] = {}
    levels: dict[str, str] = {}
    qualitative = 0
    for section in rubric.sections:
        for row in plan_section(rubric, section):
            spec = row.input
            shape = row.item.rule.describe()
            if spec is None or spec.hint in ("bonus", "major") or spec.column == DEDUCT:
                continue  # nothing happened: no bonus, no major deduction, nothing deducted
            if shape["kind"] == "ledger":
                continue  # no events: the base
            if row.sub is not None and shape["kind"] == "parts":
                shape = next(p["rule"] for p in shape["parts"] if p["code"] == row.sub)
            elif row.sub is not None and shape["kind"] == "custom_slots":
                shape = shape["rule"]
            value: object
            if shape["kind"] == "qualitative" and not any(x["points"] for x in shape["levels"]):
                chosen = shape["levels"][qualitative % len(shape["levels"])]
                qualitative += 1
                levels[row.code] = chosen["code"]
                value = next(label for label, v in spec.choices if v == chosen["code"])
            elif spec.type == CHOICE:
                value = _best_choice(row, shape)
            elif spec.type == DECIMAL:
                value = float(spec.high) if spec.high != int(spec.high) else int(spec.high)
            elif spec.type == WHOLE:  # per occurrence: enough occurrences for the max
                value = math.ceil(row.item.max_points / shape["unit"])
            else:  # pragma: no cover
                raise AssertionError(spec)
            cells[row.code] = {"得分": value}
            if row.fill_text:
                cells[row.code]["考核内容"] = f"自拟指标{row.sub}"
    return cells, levels


def round_trip(rubric, tmp_path: Path, changes: dict | None = None):
    path = tmp_path / f"{rubric.id}.xlsx"
    write_template(rubric, path)
    cells, levels = full_marks_cells(rubric)
    for code, values in (changes or {}).items():
        cells.setdefault(code, {}).update(values)
    workbook = load_workbook(path)
    fill(workbook.worksheets[0], cells, org="白沙村党支部", rater="张三")
    workbook.save(path)
    sheets, problems = read_workbook(rubric, path)
    assert problems == []
    (sheet,) = sheets
    result = score_sheet(rubric, sheet.entries, custom_items=sheet.custom_items or None)
    return sheet, result, levels


@pytest.mark.parametrize("rubric_id", sorted(RUBRICS))
def test_full_marks_round_trip(rubric_id, tmp_path: Path):
    rubric = RUBRICS[rubric_id]
    _, result, levels = round_trip(rubric, tmp_path)
    assert result.total == rubric.full_marks
    assert result.stars == tuple(star.label for star in rubric.outcome.stars)
    assert result.scaled_total == rubric.full_marks
    assert (result.vetoes, result.major_deductions, result.bonus) == ((), 0, 0)
    assert [x for x in result.lost if x.points] == []
    for code, level in levels.items():  # seed 002: every qualitative level read back
        assert result.items[code].level == level
    if rubric_id.startswith("seed002"):
        used = {level for level in levels.values()}
        every = {x.code for i in rubric.items.values() for x in i.rule.levels}
        assert used == every and len(levels) == len(rubric.items)


def test_seed000_lost_points(tmp_path: Path):
    # 1.2 酌情打分 (3分) given 2; 1.3 "支部上党课每年不少于1次，得2分" not met: 100 − 1 − 2 = 97
    rubric = RUBRICS["seed000-model-organ-branch"]
    _, result, _ = round_trip(rubric, tmp_path, {"1.2": {"得分": 2}, "1.3": {"得分": "否"}})
    assert result.total == Decimal(97)
    assert {x.item: x.points for x in result.lost} == {"1.2": 1, "1.3": 2}


def test_seed001_two_new_lost_points(tmp_path: Path):
    # 2.4 (10分): 扣2.5分 with its reason: 100 − 2.5 = 97.5
    rubric = RUBRICS["seed001-two-new-organizations"]
    changes = {"2.4": {"扣分": 2.5, "扣分原因": "党员发展计划未落实"}}
    _, result, _ = round_trip(rubric, tmp_path, changes)
    assert result.total == Decimal("97.5")
    (lost,) = result.lost
    assert (lost.item, lost.points, lost.reasons) == (
        "2.4",
        Decimal("2.5"),
        ("扣2.5分：党员发展计划未落实",),
    )


def test_seed001_village_lost_points(tmp_path: Path):
    # 1.6 (4分) 扣1分, 3.4 (1分) 扣1分: 100 − 1 − 1 = 98; section 三 20 − 1 = 19
    rubric = RUBRICS["seed001-village-community"]
    changes = {
        "1.6": {"扣分": 1, "扣分原因": "阵地不规范"},
        "3.4": {"扣分": 1, "扣分原因": "未公示"},
    }
    _, result, _ = round_trip(rubric, tmp_path, changes)
    assert result.total == Decimal(98)
    assert result.section("三").score == Decimal(19)


def test_seed002_poor_level_is_read_back(tmp_path: Path):
    # qualitative only (考评要点 with no points): the level is the result, the total stays 0
    rubric = RUBRICS["seed002-model-organ-evaluation"]
    code = next(iter(rubric.items))
    poor = rubric.items[code].rule.levels[-1]
    _, result, _ = round_trip(rubric, tmp_path, {code: {"得分": poor.label, "说明": "学习不深入"}})
    assert (result.items[code].level, result.items[code].comment) == (poor.code, "学习不深入")
    assert result.total == 0


def test_seed003_lost_points_and_a_veto(tmp_path: Path):
    # one five-point common slot scored 3: 100 − 2 = 98 (达标 at ≥ 60) — but one 反向指标
    # triggered forces 不达标 whatever the score
    rubric = RUBRICS["seed003-branch-compliance"]
    _, result, _ = round_trip(rubric, tmp_path, {"C1/1": {"得分": 3}})
    assert (result.total, result.grade) == (Decimal(98), "达标")
    _, vetoed, _ = round_trip(
        rubric, tmp_path, {"C1/1": {"得分": 3}, "V1": {"得分": "是", "说明": "违规发展党员"}}
    )
    assert (vetoed.total, vetoed.grade, vetoed.vetoes) == (Decimal(98), "不达标", ("V1",))


def test_seed004_lost_points(tmp_path: Path):
    # 民主星 4.3.1 (6分): 主要领导 1人次 × 1 + 科级干部 2人次 × 0.6 = 2.2 → 3.8;
    # a 重扣分 of 5 in 民主星; bonus: 中央 (3) for one project: 120 − 2.2 − 5 + 3 = 115.8
    rubric = RUBRICS["seed004-five-star"]
    ws_rows = {row.code: row for s in rubric.sections for row in plan_section(rubric, s)}
    categories = {
        c["label"]: c["code"] for c in rubric.items["4.3.1"].rule.describe()["categories"]
    }
    leader, section_level = categories["主要领导"], categories["科级干部"]
    bonus_choice = ws_rows["7.1/1"].input.choices[0][0]
    changes = {
        f"4.3.1/{leader}": {"扣分": 1},
        f"4.3.1/{section_level}": {"扣分": 2},
        "4.M1/1": {"扣分": 5, "扣分原因": "发生违纪"},
        "7.1/1": {"得分": bonus_choice, "扣分原因": "项目甲"},
    }
    _, result, _ = round_trip(rubric, tmp_path, changes)
    assert result.items["4.3.1"].score == Decimal("3.8")
    assert (result.bonus, result.major_deductions) == (Decimal(3), Decimal(5))
    assert result.total == Decimal("115.8")
    # the 重扣分 in 民主星 blocks its star; 4.3.1's loss alone would not (17.8 ≥ 0.8 × 15)
    assert result.stars == ("学习星", "规范星", "服务星", "创新星")


def test_helpers_find_rows(tmp_path: Path):
    rubric = RUBRICS["seed001-village-community"]
    path = tmp_path / "blank.xlsx"
    write_template(rubric, path)
    ws = load_workbook(path).worksheets[0]
    header, columns = header_columns(ws)
    assert row_of(ws, "1.1") == header + 1 and "扣分" in columns

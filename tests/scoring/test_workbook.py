"""The score-sheet workbook: the blank template's layout and validation, and reading it back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kaoping.rubrics import BUNDLED_DIR
from kaoping.scoring.loader import load_rubric, parse_rubric
from kaoping.scoring.workbook import read_json, read_workbook, write_template
from kaoping.scoring.workbook.layout import plan_section

ALL_KINDS = {
    "id": "test-all-kinds",
    "title": "测试用考核标准（各类评分规则）",
    "issuer": "测试",
    "year": 2024,
    "version": 1,
    "applies_to": ["branch"],
    "full_marks": 42,
    "step": "0.5",
    "bonus_cap": 5,
    "outcome": {"grades": [{"label": "优秀", "min": 35}, {"label": "合格", "min": 20},
                           {"label": "不合格"}]},
    "sections": [
        {"code": "一", "title": "基础工作", "points": 20, "items": [
            {"code": "A1", "text": "酌情打分项", "max": 4, "rule": {"kind": "scale"}},
            {"code": "A2", "text": "是否项", "max": 2, "rule": {"kind": "binary"}},
            {"code": "A3", "text": "要点项", "max": 3, "rule": {"kind": "checklist", "criteria": [
                {"code": "a", "text": "要点甲", "points": 1}, {"code": "b", "text": "要点乙", "points": 1},
                {"code": "c", "text": "要点丙", "points": 1}, {"code": "d", "text": "要点丁", "points": 1},
            ]}},
            {"code": "A4", "text": "分项", "max": 5, "rule": {"kind": "parts", "parts": [
                {"code": "a", "text": "积极参与", "points": 2, "rule": {"kind": "binary"}},
                {"code": "b", "text": "有创新", "points": 3, "rule": {"kind": "scale"}},
            ]}},
            {"code": "A5", "text": "等次项", "max": 4, "rule": {"kind": "tiered", "levels": [
                {"code": "excellent", "label": "优秀", "points": 4},
                {"code": "good", "label": "良好", "points": 3},
                {"code": "other", "label": "其他", "points": 0},
            ]}},
            {"code": "A6", "text": "按次项", "max": 2, "rule": {"kind": "per_occurrence", "unit": 1}},
        ]},
        {"code": "二", "title": "扣分与自拟", "points": 22, "items": [
            {"code": "B1", "text": "扣分项", "max": 6, "rule": {"kind": "deduction"}},
            {"code": "B2", "text": "分类扣分项", "max": 4, "rule": {"kind": "graded_deduction",
             "categories": [{"code": "p", "label": "主要领导", "unit": 1},
                            {"code": "m", "label": "其他党员", "unit": "0.5"}]}},
            {"code": "B3", "text": "个性指标", "max": 10, "rule": {"kind": "custom_slots",
             "slots": 2, "points_each": 5, "rule": {"kind": "scale"}}},
            {"code": "B4", "text": "定性评价", "rule": {"kind": "qualitative", "levels": [
                {"code": "good", "label": "好"}, {"code": "fairly_good", "label": "较好"},
                {"code": "poor", "label": "差"}]}},
            {"code": "B5", "text": "反向指标", "rule": {"kind": "veto"}},
            {"code": "B6", "text": "重扣分项", "rule": {"kind": "major_deduction", "min": 1, "max": 3}},
            {"code": "L1", "text": "积分台账", "max": 2, "rule": {"kind": "ledger", "base": 2,
             "events": [{"code": "award", "label": "获表彰", "points": 1},
                        {"code": "late", "label": "逾期报送", "points": "-0.5"}]}},
        ]},
        {"code": "三", "title": "加分项目", "points": 0, "items": [
            {"code": "C1", "text": "表彰加分", "rule": {"kind": "bonus", "cap": 5,
             "levels": [{"code": "central", "label": "中央", "points": 3},
                        {"code": "city", "label": "市委", "points": 1}],
             "modifiers": [{"code": "halved", "label": "会议交流", "factor": "0.5"}]}},
        ]},
    ],
}  # fmt: skip

VILLAGE = "seed001-village-community"
BRANCH = "seed000-model-organ-branch"


def all_kinds_rubric():
    return parse_rubric(ALL_KINDS, source="test")


def bundled(rubric_id: str):
    path = BUNDLED_DIR / f"{rubric_id}.yaml"
    if not path.is_file():
        pytest.skip(f"{rubric_id} not transcribed yet")
    return load_rubric(path)


# --- helpers shared with test_cli ---------------------------------------------------------------


def header_columns(ws) -> tuple[int, dict[str, int]]:
    for row in range(1, 10):
        values = {ws.cell(row=row, column=c).value: c for c in range(1, ws.max_column + 1)}
        if "编号" in values:
            return row, {k: v for k, v in values.items() if isinstance(k, str)}
    raise AssertionError("no header")


def row_of(ws, code: str) -> int:
    header, cols = header_columns(ws)
    for row in range(header + 1, ws.max_row + 1):
        if ws.cell(row=row, column=cols["编号"]).value == code:
            return row
    raise AssertionError(f"no row {code}")


def fill(ws, values: dict[str, dict[str, object]], *, org=None, rater=None) -> None:
    """values: {code: {column header: value}}; org/rater go into the fields at the top."""
    _, cols = header_columns(ws)
    for code, cells in values.items():
        row = row_of(ws, code)
        for column, value in cells.items():
            ws.cell(row=row, column=cols[column], value=value)
    if org is not None:
        ws["C2"] = org
    if rater is not None:
        ws["G2"] = rater


ALL_KINDS_FILLED = {
    "A1": {"得分": 3.5},
    "A2": {"得分": "是"},
    "A3/a": {"得分": "是"}, "A3/b": {"得分": "否"}, "A3/c": {"得分": "是"},
    "A4/a": {"得分": "是"}, "A4/b": {"得分": 2.5},
    "A5": {"得分": "良好"},
    "A6": {"得分": 1},
    "B1": {"扣分": 1.5, "扣分原因": "台账不全"},
    "B2/p": {"扣分": 1}, "B2/m": {"扣分": 2}, "B2": {"扣分原因": "缺席"},
    "B3/1": {"考核内容": "特色工作", "得分": 4}, "B3/2": {"考核内容": "创新项目", "得分": 5},
    "B4": {"得分": "较好", "扣分原因": "资料较全"},
    "B5": {"得分": "否"},
    "B6/1": {"扣分": 2, "扣分原因": "发生情形"},
    "L1/award": {"得分": 1}, "L1/late": {"得分": 1},
    "C1/1": {"得分": "中央（3分）", "扣分原因": "项目甲"},
    "C1/2": {"得分": "市委（1分）", "扣分原因": "项目甲"},
    "C1/3": {"得分": "中央（会议交流，1.5分）", "扣分原因": "项目乙"},
}  # fmt: skip
# 一: 3.5 + 2 + 2 + 4.5 + 3 + 1 = 16; 二: 4.5 + 2 + 9 + 0 + 2.5 = 18; bonus 3 + 1.5 = 4.5;
# major 2 → 16 + 18 + 4.5 − 2 = 36.5 (优秀)
ALL_KINDS_TOTAL = Decimal("36.5")


# --- the template -------------------------------------------------------------------------------


def test_template_layout_village(tmp_path: Path):
    rubric = bundled(VILLAGE)
    path = tmp_path / "blank.xlsx"
    write_template(rubric, path, organization="白沙村", rater="张三")
    wb = load_workbook(path)
    assert wb.sheetnames == ["白沙村-张三", "填表说明"]
    ws = wb["白沙村-张三"]
    assert ws["A1"].value == rubric.title
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:I1" in merged  # the title across the table
    assert ws["A2"].value == "被考核单位：" and ws["C2"].value == "白沙村"
    assert ws["F2"].value == "评分人：" and ws["G2"].value == "张三"
    header = [ws.cell(row=4, column=c).value for c in range(1, 10)]
    assert header == ["序号", "考核指标", "编号", "考核内容", "评分标准", "分值", "扣分", "扣分原因",
                      "得分"]  # fmt: skip
    # sections merged over their rows: 一 has nine items, rows 5..13
    assert "A5:A13" in merged and "B5:B13" in merged
    assert ws["B5"].value == "党建基础（25分）"
    assert ws["C5"].value == "1.1" and ws["F5"].value == 3
    assert ws["I5"].value == '=IF(G5="",F5,MAX(0,F5-G5))'
    # printable on A4: landscape, fit to one page wide, header row repeated, panes frozen
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"
    assert ws.freeze_panes == "D5"


def test_template_data_validation_village(tmp_path: Path):
    rubric = bundled(VILLAGE)
    path = tmp_path / "blank.xlsx"
    write_template(rubric, path)
    ws = load_workbook(path).worksheets[0]
    row = row_of(ws, "1.2")
    found = [dv for dv in ws.data_validations.dataValidation if f"G{row}" in dv.sqref]
    assert len(found) == 1
    dv = found[0]
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "3")
    assert dv.showErrorMessage and dv.error == "请填写 0 到 3 之间的数"
    assert dv.errorStyle in (None, "stop")


def test_template_validation_every_kind(tmp_path: Path):
    rubric = all_kinds_rubric()
    path = tmp_path / "blank.xlsx"
    write_template(rubric, path, count=3)
    wb = load_workbook(path)
    assert wb.sheetnames == ["评分表1", "评分表2", "评分表3", "填表说明"]
    ws = wb["评分表2"]

    def validation(code: str, column: str):
        cell = f"{column}{row_of(ws, code)}"
        matches = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
        assert len(matches) == 1, (code, column)
        return matches[0]

    assert validation("A1", "I").formula2 == "4"
    assert validation("A2", "I").formula1 == '"是,否"'
    assert validation("A3/b", "I").formula1 == '"是,否"'
    assert validation("A4/b", "I").formula2 == "3"
    assert validation("A5", "I").formula1 == '"优秀,良好,其他"'
    assert validation("A6", "I").type == "whole"
    assert validation("B1", "G").formula2 == "6"
    assert validation("B2/m", "G").type == "whole"
    assert validation("B3/2", "I").formula2 == "5"
    assert validation("B4", "I").formula1 == '"好,较好,差"'
    assert validation("B5", "I").formula1 == '"是,否"'
    major = validation("B6/3", "G")
    assert (major.formula1, major.formula2) == ("1", "3")
    assert "中央（会议交流，1.5分）" in validation("C1/5", "I").formula1
    assert validation("L1/late", "I").type == "whole"
    # the formulas are for the eyes; the checklist's counts 是 rows
    assert ws[f"I{row_of(ws, 'A3')}"].value.startswith("=MIN(")
    assert ws[f"I{row_of(ws, 'B2')}"].value.startswith("=MAX(0,")


def test_plan_marks_sub_rows_with_codes():
    rubric = all_kinds_rubric()
    codes = [row.code for s in rubric.sections for row in plan_section(rubric, s)]
    assert codes[:8] == ["A1", "A2", "A3", "A3/a", "A3/b", "A3/c", "A3/d", "A4"]
    assert "B6/3" in codes and "C1/5" in codes and "B3/2" in codes


# --- reading back -------------------------------------------------------------------------------


def test_read_back_every_kind(tmp_path: Path):
    rubric = all_kinds_rubric()
    path = tmp_path / "filled.xlsx"
    write_template(rubric, path)
    wb = load_workbook(path)
    fill(wb.worksheets[0], ALL_KINDS_FILLED, org="白沙村党支部", rater="张三")
    wb.save(path)
    sheets, problems = read_workbook(rubric, path)
    assert problems == []
    (sheet,) = sheets
    assert (sheet.organization, sheet.rater) == ("白沙村党支部", "张三")
    assert sheet.entries == {
        "A1": {"score": "3.5"},
        "A2": {"met": True},
        "A3": {"criteria": ["a", "c"]},
        "A4": {"parts": {"a": {"met": True}, "b": {"score": "2.5"}}},
        "A5": {"level": "good"},
        "A6": {"count": 1},
        "B1": {"deductions": [{"amount": "1.5", "reason": "台账不全"}]},
        "B2": {"counts": {"p": 1, "m": 2}, "reason": "缺席"},
        "B3": {"slots": {"1": {"score": "4"}, "2": {"score": "5"}}},
        "B4": {"level": "fairly_good", "comment": "资料较全"},
        "B5": {"triggered": False},
        "B6": {"occurrences": [{"amount": "2", "note": "发生情形"}]},
        "L1": {"events": [{"event": "award", "count": 1}, {"event": "late", "count": 1}]},
        "C1": {"events": [
            {"project": "项目甲", "level": "central"},
            {"project": "项目甲", "level": "city"},
            {"project": "项目乙", "level": "central", "modifier": "halved"},
        ]},
    }  # fmt: skip
    assert sheet.custom_items == {"B3": [{"code": "1", "text": "特色工作"},
                                         {"code": "2", "text": "创新项目"}]}  # fmt: skip
    assert sheet.rows["A1"] == 5


def test_read_back_reports_cells_with_sheet_row_and_code(tmp_path: Path):
    rubric = all_kinds_rubric()
    path = tmp_path / "filled.xlsx"
    write_template(rubric, path, count=2)
    wb = load_workbook(path)
    filled = dict(ALL_KINDS_FILLED)
    filled["A1"] = {"得分": 5}
    filled["A5"] = {"得分": "很好"}
    filled["A3/a"] = {"得分": "也许"}
    fill(wb["评分表1"], filled, org="白沙村", rater="张三")
    wb["评分表1"].title = "白沙村-张三"
    fill(wb["评分表2"], ALL_KINDS_FILLED, org=None, rater="李四")
    wb.save(path)
    _, problems = read_workbook(rubric, path)
    texts = [str(p) for p in problems]
    assert "工作表『白沙村-张三』第5行 A1：得分 5 超过分值 4" in texts
    assert any(t.startswith("工作表『白沙村-张三』第") and " A5：等次“很好”不在可选项中" in t
               for t in texts)  # fmt: skip
    assert any(" A3/a：填写“也许”须填“是”或“否”" in t for t in texts)
    assert "工作表『评分表2』第2行：缺少被考核单位（表头“被考核单位”一栏为空）" in texts


def test_deduction_item_accepts_a_typed_score(tmp_path: Path):
    rubric = bundled(VILLAGE)
    path = tmp_path / "filled.xlsx"
    write_template(rubric, path, organization="白沙村", rater="张三")
    wb = load_workbook(path)
    fill(wb.worksheets[0], {"1.1": {"得分": 2.5}, "1.2": {"扣分": 1, "得分": 2},
                            "1.3": {"扣分": 1, "得分": 1}})  # fmt: skip
    wb.save(path)
    sheets, problems = read_workbook(rubric, path)
    assert [str(p) for p in problems] == [
        "工作表『白沙村-张三』第7行 1.3：得分 1 与扣分 1 不符（分值 3 − 扣分 = 2）"
    ]
    assert sheets[0].entries["1.1"] == {"deductions": [{"amount": "0.5"}]}
    assert sheets[0].entries["1.2"] == {"deductions": [{"amount": "1"}]}


def test_unknown_codes_and_foreign_rubric_are_reported(tmp_path: Path):
    rubric = bundled(VILLAGE)
    path = tmp_path / "filled.xlsx"
    write_template(rubric, path, organization="白沙村", rater="张三")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws[f"C{row_of(ws, '5.3')}"] = "9.9"
    ws["G3"] = "seed000-model-organ-branch（第1版）"
    wb.save(path)
    _, problems = read_workbook(rubric, path)
    texts = [str(p) for p in problems]
    assert any("第3行：此表按考核标准" in t for t in texts)
    assert any(t.endswith("9.9：本标准没有编号为“9.9”的考核内容") for t in texts)
    assert "工作表『白沙村-张三』 5.3：表中没有该项（编号 5.3）" in texts


def test_read_json_records(tmp_path: Path):
    rubric = bundled(VILLAGE)
    path = tmp_path / "entries.json"
    path.write_text('[{"organization": "白沙村", "rater": "张三", "entries": '
                    '{"1.2": {"deductions": [{"amount": "2"}]}}}, {"rater": "李四", "entries": {}}]',
                    encoding="utf-8")  # fmt: skip
    sheets, problems = read_json(rubric, path)
    assert sheets[0].entries == {"1.2": {"deductions": [{"amount": "2"}]}}
    assert [str(p) for p in problems] == ["第2条记录：缺少被考核单位（表头“被考核单位”一栏为空）"]

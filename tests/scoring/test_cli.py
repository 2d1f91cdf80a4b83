"""`kaoping rubric|sheet|score`: run in-process through `main([...])`, plus one real subprocess.

The round trip: template → fill the cells with openpyxl → score → totals computed by hand from the
documents' rules.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from kaoping.scoring.cli import main
from kaoping.scoring.workbook.layout import plan_section
from tests.scoring.test_workbook import (
    ALL_KINDS,
    ALL_KINDS_FILLED,
    BRANCH,
    VILLAGE,
    bundled,
    fill,
    row_of,
)

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def template(capsys, tmp_path: Path, rubric: str, *extra: str) -> Path:
    path = tmp_path / "sheets.xlsx"
    code, out, _ = run(capsys, "sheet", "template", rubric, "-o", path, *extra)
    assert code == 0, out
    assert "已生成空白得分表" in out
    return path


def village_sheets(tmp_path: Path, capsys, raters: list[tuple[str, str, dict]]) -> Path:
    """One worksheet per (organization, rater, {code: deduction}) on the village sheet."""
    bundled(VILLAGE)
    path = template(capsys, tmp_path, VILLAGE, "--count", str(len(raters)))
    wb = load_workbook(path)
    for ws, (org, rater, deductions) in zip(wb.worksheets, raters, strict=False):
        values = {
            code: {"扣分": amount, "扣分原因": "台账不完整"} for code, amount in deductions.items()
        }
        fill(ws, values, org=org, rater=rater)
        ws.title = f"{org}-{rater}"
    wb.save(path)
    return path


def score_json(capsys, rubric: str, path: Path, *extra: str) -> dict:
    code, out, err = run(capsys, "score", rubric, path, "--json", *extra)
    assert code == 0, out + err
    return json.loads(out)


# --- rubric ---------------------------------------------------------------------------------------


def test_rubric_list(capsys):
    bundled(VILLAGE)
    code, out, _ = run(capsys, "rubric", "list")
    assert code == 0
    assert out.splitlines()[0].split() == ["编号", "版本", "名称", "满分", "项数"]
    line = next(x for x in out.splitlines() if x.startswith(VILLAGE))
    assert line.split()[1:] == ["1", "村（社区）党建观摩、检查、测评得分表", "100", "37"]


def test_rubric_list_subprocess():
    bundled(VILLAGE)
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "kaoping"), "rubric", "list"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert VILLAGE in done.stdout and "Traceback" not in done.stderr


def test_rubric_show(capsys):
    bundled(BRANCH)
    code, out, _ = run(capsys, "rubric", "show", BRANCH)
    assert code == 0
    assert "一 在建设政治忠诚的模范机关方面（25分）" in out
    assert "  1.1　[要点计分]　3分　" in out
    assert "评分标准：支部上党课每年不少于1次，得2分。" in out
    assert "· a 支部书记带头学习（1分）" in out


def test_rubric_validate(capsys, tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(ALL_KINDS, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(capsys, "rubric", "validate", good)
    assert code == 0
    assert out.strip() == (
        "校验通过：测试用考核标准（各类评分规则）（test-all-kinds，第1版），3个部分，14项，满分42分"
    )
    bad_data = json.loads(json.dumps(ALL_KINDS))
    bad_data["sections"][0]["items"][0]["max"] = 5  # 一 no longer adds up to 20
    bad_data["sections"][1]["items"][0]["rule"] = {"kind": "deductoin"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(bad_data, allow_unicode=True), encoding="utf-8")
    code, _, err = run(capsys, "rubric", "validate", bad)
    assert code == 1
    assert "[一] “基础工作”各项满分合计21分，与该部分分值20分不符" in err
    assert "[B1] 未知的评分规则类型“deductoin”" in err
    assert "Traceback" not in err


def test_usage_errors(capsys, tmp_path: Path):
    code, _, err = run(capsys, "score", "no-such-rubric", tmp_path / "x.xlsx")
    assert code == 2 and "没有编号为“no-such-rubric”的考核标准" in err
    code, _, err = run(capsys, "sheet", "template", VILLAGE)
    assert code == 2 and err.startswith("用法错误：缺少参数：")
    code, _, err = run(capsys, "rubric", "validate", tmp_path / "missing.yaml")
    assert code == 2 and "文件不存在" in err
    code, _, _ = run(capsys, "rubric", "--help")
    assert code == 0


# --- the round trip -----------------------------------------------------------------------------


def test_round_trip_every_kind(capsys, tmp_path: Path):
    rubric_file = tmp_path / "all.yaml"
    rubric_file.write_text(yaml.safe_dump(ALL_KINDS, allow_unicode=True), encoding="utf-8")
    path = template(capsys, tmp_path, rubric_file, "--org", "白沙村党支部", "--rater", "张三")
    wb = load_workbook(path)
    fill(wb.worksheets[0], ALL_KINDS_FILLED)
    wb.save(path)
    result = score_json(capsys, rubric_file, path)
    (sheet,) = result["sheets"]
    assert sheet["sections"] == {"一": "16", "二": "18", "三": "0"}
    assert (sheet["bonus"], sheet["major_deductions"], sheet["total"]) == ("4.5", "2", "36.5")
    assert sheet["grade"] == "优秀"
    assert sheet["items"]["A3"] == "2" and sheet["items"]["L1"] == "2.5"
    assert result["ranking"] == [{
        "rank": 1, "organization": "白沙村党支部", "total": "36.5", "grade": "优秀", "raters": 1,
        "method": "mean", "method_used": "mean", "dropped": [], "note": "", "vetoes": [],
        "veto_raters": {}, "stars": [], "sections": {"一": "16", "二": "18", "三": "0"},
    }]  # fmt: skip


def test_round_trip_veto_forces_the_failing_grade(capsys, tmp_path: Path):
    rubric_file = tmp_path / "all.yaml"
    rubric_file.write_text(yaml.safe_dump(ALL_KINDS, allow_unicode=True), encoding="utf-8")
    path = template(capsys, tmp_path, rubric_file, "--org", "白沙村党支部", "--rater", "张三")
    wb = load_workbook(path)
    fill(wb.worksheets[0], {**ALL_KINDS_FILLED, "B5": {"得分": "是", "扣分原因": "发生违纪"}})
    wb.save(path)
    code, out, _ = run(capsys, "score", rubric_file, path)
    assert code == 0
    assert "36.5分，不合格，触发反向指标 B5" in out
    assert "触发反向指标（B5）" in out


def test_round_trip_village_97_5(capsys, tmp_path: Path):
    path = village_sheets(tmp_path, capsys, [("白沙村", "张三", {"1.2": 2, "2.1": 0.5})])
    code, out, err = run(capsys, "score", VILLAGE, path)
    assert code == 0, err
    assert "工作表『白沙村-张三』 白沙村 / 张三：97.5分" in out
    ranking = out.splitlines()[-1].split()
    assert ranking == ["1", "白沙村", "97.5", "—", "1"]
    result = score_json(capsys, VILLAGE, path)
    assert result["sheets"][0]["total"] == "97.5"
    lost = {x["item"]: x for x in result["sheets"][0]["lost"]}
    assert lost["1.2"]["points"] == "2" and "台账不完整" in lost["1.2"]["reasons"][0]


def test_round_trip_branch_standard_seed000(capsys, tmp_path: Path):
    rubric = bundled(BRANCH)
    path = template(capsys, tmp_path, BRANCH, "--org", "水文局第一党支部", "--rater", "王五")
    values: dict[str, dict[str, object]] = {}
    for section in rubric.sections:  # full marks everywhere first
        for row in plan_section(rubric, section):
            if row.input is None:
                continue
            if row.input.type == "choice":
                values[row.code] = {"得分": "是"}
            else:
                values[row.code] = {"得分": int(row.input.high)} if row.input.high % 1 == 0 \
                    else {"得分": float(row.input.high)}  # fmt: skip
    # then the losses: 1.1 two criteria not met (3 of 4 → 2), 1.2 scale 2.5 of 3,
    # 1.3 no party lecture (0 of 2), 2.2 part b "有创新活动" not met (2 of 3)
    values.update({"1.1/c": {"得分": "否"}, "1.1/d": {"得分": "否"}, "1.2": {"得分": 2.5},
                   "1.3": {"得分": "否"}, "2.2/b": {"得分": "否"}})  # fmt: skip
    wb = load_workbook(path)
    fill(wb.worksheets[0], values)
    wb.save(path)
    result = score_json(capsys, BRANCH, path)
    sheet = result["sheets"][0]
    assert sheet["total"] == "95.5"  # 100 − 1 − 0.5 − 2 − 1
    assert sheet["sections"]["一"] == "20.5"


# --- several raters ----------------------------------------------------------------------------

FIVE_RATERS = [  # totals 100, 99, 97.5, 95, 90
    ("白沙村", "甲", {}),
    ("白沙村", "乙", {"1.1": 1}),
    ("白沙村", "丙", {"1.2": 2, "2.1": 0.5}),
    ("白沙村", "丁", {"5.1": 4, "5.2": 1}),
    ("白沙村", "戊", {"1.6": 4, "2.4": 4, "4.1": 2}),
    ("黑石村", "甲", {"1.1": 3}),  # 97
    ("黑石村", "乙", {"1.1": 1}),  # 99
]


@pytest.mark.parametrize(
    ("method", "white", "black", "note"),
    [
        ("mean", "96.3", "98", ""),  # 481.5 / 5; 196 / 2
        ("trimmed", "97.17", "98", "评分人2人，不足3人"),  # (99 + 97.5 + 95) / 3 = 97.1666…
        ("median", "97.5", "98", ""),
    ],
)
def test_raters_aggregated(capsys, tmp_path: Path, method, white, black, note):
    path = village_sheets(tmp_path, capsys, FIVE_RATERS)
    result = score_json(capsys, VILLAGE, path, "--method", method)
    totals = {s["sheet"]: s["total"] for s in result["sheets"]}
    assert totals == {"白沙村-甲": "100", "白沙村-乙": "99", "白沙村-丙": "97.5", "白沙村-丁": "95",
                      "白沙村-戊": "90", "黑石村-甲": "97", "黑石村-乙": "99"}  # fmt: skip
    ranking = {r["organization"]: r for r in result["ranking"]}
    assert ranking["白沙村"]["total"] == white and ranking["白沙村"]["raters"] == 5
    assert ranking["黑石村"]["total"] == black
    assert note in ranking["黑石村"]["note"]
    if method == "trimmed":
        assert ranking["白沙村"]["dropped"] == ["90", "100"]
        assert ranking["黑石村"]["method_used"] == "mean"
    assert [r["organization"] for r in result["ranking"]] == ["黑石村", "白沙村"] \
        if method != "median" else ["黑石村", "白沙村"]  # fmt: skip


def test_trimmed_fallback_note_in_text(capsys, tmp_path: Path):
    path = village_sheets(tmp_path, capsys, FIVE_RATERS)
    code, out, _ = run(capsys, "score", VILLAGE, path, "--method", "trimmed")
    assert code == 0
    assert "汇总方法：去掉1个最高分和1个最低分后平均" in out
    assert "评分人2人，不足3人，未去掉最高分和最低分，按算术平均" in out


def test_ties_ranked_1_1_3(capsys, tmp_path: Path):
    path = village_sheets(tmp_path, capsys, [
        ("白沙村", "张三", {"1.2": 2, "2.1": 0.5}),  # 97.5
        ("黑石村", "张三", {"3.3": 2, "4.4": 0.5}),  # 97.5
        ("红旗社区", "张三", {"5.1": 4, "5.2": 1}),  # 95
    ])  # fmt: skip
    result = score_json(capsys, VILLAGE, path)
    assert [(r["rank"], r["organization"], r["total"]) for r in result["ranking"]] == [
        (1, "白沙村", "97.5"), (1, "黑石村", "97.5"), (3, "红旗社区", "95"),
    ]  # fmt: skip
    _, out, _ = run(capsys, "score", VILLAGE, path)
    assert [line.split()[0] for line in out.splitlines()[-3:]] == ["1", "1", "3"]


def test_json_input(capsys, tmp_path: Path):
    bundled(VILLAGE)
    path = tmp_path / "entries.json"
    records = [
        {"organization": "白沙村", "rater": "张三",
         "entries": {"1.2": {"deductions": [{"amount": "2", "reason": "台账不全"}]},
                     "2.1": {"deductions": [{"amount": "0.5", "reason": "未开展"}]}}},
        {"organization": "白沙村", "rater": "李四", "entries": {}},
    ]  # fmt: skip
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    result = score_json(capsys, VILLAGE, path)
    assert [s["total"] for s in result["sheets"]] == ["97.5", "100"]
    assert result["ranking"][0]["total"] == "98.75"


# --- errors -------------------------------------------------------------------------------------


def test_errors_named_with_sheet_row_and_item(capsys, tmp_path: Path):
    path = village_sheets(tmp_path, capsys, [("白沙村", "张三", {}), ("黑石村", "李四", {})])
    wb = load_workbook(path)
    ws = wb["白沙村-张三"]
    ws[f"I{row_of(ws, '1.2')}"] = 5  # 得分 above the item's 3 points
    ws[f"G{row_of(ws, '2.1')}"] = "两分"  # not a number
    ws[f"G{row_of(ws, '2.2')}"] = 0.25  # off the 0.1 step
    ws[f"H{row_of(ws, '2.2')}"] = "记录不全"
    wb["黑石村-李四"]["C2"] = None  # no organization
    wb.save(path)
    code, out, err = run(capsys, "score", VILLAGE, path)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "发现4个问题，未计分："
    assert "工作表『白沙村-张三』第6行 1.2：得分 5 超过分值 3" in lines
    assert "工作表『白沙村-张三』第14行 2.1：扣分“两分”不是数字" in lines
    assert "工作表『白沙村-张三』第15行 2.2：扣分0.25不是步长0.1的整数倍" in lines
    assert "工作表『黑石村-李四』第2行：缺少被考核单位（表头“被考核单位”一栏为空）" in lines
    assert "Traceback" not in err


def test_errors_bad_level_and_missing_entry(capsys, tmp_path: Path):
    rubric_file = tmp_path / "all.yaml"
    rubric_file.write_text(yaml.safe_dump(ALL_KINDS, allow_unicode=True), encoding="utf-8")
    path = template(capsys, tmp_path, rubric_file, "--org", "白沙村", "--rater", "张三")
    wb = load_workbook(path)
    values = {**ALL_KINDS_FILLED, "A5": {"得分": "很好"}}
    del values["A6"]
    fill(wb.worksheets[0], values)
    wb.save(path)
    code, out, _ = run(capsys, "score", rubric_file, path, "--json")
    assert code == 1
    errors = json.loads(out)["errors"]
    by_code = {e["code"]: e for e in errors}
    assert by_code["A5"]["row"] == row_of(wb.worksheets[0], "A5")
    assert by_code["A5"]["message"] == "等次“很好”不在可选项中（可选：优秀、良好、其他）"
    assert by_code["A6"]["message"] == "该项未录入"
    assert by_code["A6"]["text"].startswith("工作表『白沙村-张三』第")
    assert len(errors) == 2  # the bad level is not reported again as "未录入"


def test_cli_entry_point_routes_here(capsys):
    from kaoping.cli import main as kaoping_main

    bundled(VILLAGE)
    assert kaoping_main(["rubric", "list"]) == 0
    assert VILLAGE in capsys.readouterr().out


def test_no_django_import():
    code = ("import sys, kaoping.scoring.cli, kaoping.scoring.workbook; "
            "sys.exit(1 if any(m.startswith('django') for m in sys.modules) else 0)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False, timeout=60)
    assert done.returncode == 0

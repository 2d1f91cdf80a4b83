"""Numbers beyond what a score can be are refused with a clear message, never a crash (F1)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kaoping.scoring import EntryError, score_sheet
from kaoping.scoring.cli import main
from kaoping.scoring.numbers import NumberError, is_multiple, parse_count, parse_decimal
from kaoping.scoring.rules.base import fmt
from tests.scoring.test_workbook import VILLAGE, bundled


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1e999999999", "out_of_range"),
        ("-1E+7", "out_of_range"),
        ("10000000", "out_of_range"),
        ("1e-999999999", "too_precise"),
        ("0.0000001", "too_precise"),
    ],
)
def test_parse_decimal_refuses_magnitudes_beyond_a_score(text, code):
    with pytest.raises(NumberError) as err:
        parse_decimal(text)
    assert err.value.code == code
    assert len(err.value.message) < 60  # the number is not echoed back whole


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("9999999.999999", "9999999.999999"),
        ("0.5000000", "0.5"),
        ("0E+999999", "0"),
        ("1E+3", "1000"),
    ],
)
def test_parse_decimal_keeps_what_a_score_can_be(text, value):
    assert parse_decimal(text) == Decimal(value)
    assert fmt(parse_decimal(text)) == value


def test_parse_count_is_capped():
    assert parse_count("100000") == 100000
    for value in (100001, "100001", "9" * 5000):
        with pytest.raises(NumberError) as err:
            parse_count(value)
        assert err.value.code == "count_too_large"


def test_is_multiple_and_fmt_never_raise():
    assert is_multiple(Decimal("1e30"), Decimal("1e-30")) is False
    assert fmt(Decimal("1e999999999")) == "1E+999999999"


LEDGER = [{"code": "L", "text": "台账", "max": "100",
           "rule": {"kind": "ledger", "base": 100,
                    "events": [{"code": "award", "label": "表彰", "points": "10"}]}}]  # fmt: skip


def test_item_score_beyond_storage_is_refused(make_rubric):
    rubric = make_rubric(LEDGER)
    ok = score_sheet(rubric, {"L": {"events": [{"event": "award", "count": 99_989}]}})
    assert ok.total == Decimal("999990")
    with pytest.raises(EntryError) as err:
        score_sheet(rubric, {"L": {"events": [{"event": "award", "count": 99_990}]}})
    assert [(p.code, p.kind) for p in err.value.problems] == [("L", "score_too_large")]


@pytest.mark.parametrize("amount", ["1e999999999", "1e-999999999", "99999999999999999999"])
def test_cli_prints_the_problem_not_a_traceback(capsys, tmp_path: Path, amount):
    bundled(VILLAGE)
    path = tmp_path / "entries.json"
    records = [{"organization": "白沙村", "rater": "张三",
                "entries": {"1.2": {"deductions": [{"amount": amount, "reason": "台账不全"}]}}}]  # fmt: skip
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    code = main(["score", VILLAGE, str(path)])
    _out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in err
    assert "1.2" in err and ("超出范围" in err or "最多保留6位小数" in err)

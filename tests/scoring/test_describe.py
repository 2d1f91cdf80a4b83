"""`Rule.describe()`: every rule's public shape as plain data, for forms and sheet layouts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaoping.rubrics import list_bundled
from kaoping.scoring import RULES

PLAIN = (str, int, bool, Decimal, type(None))


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, PLAIN) and not isinstance(value, float)


@pytest.mark.parametrize("rubric", list_bundled(), ids=lambda r: r.id)
def test_every_bundled_rule_describes_itself_in_plain_data(rubric):
    for item in rubric.items.values():
        shape = item.rule.describe()
        assert _plain(shape), item.code
        assert (shape["kind"], shape["effect"]) == (item.kind, item.effect.value)
        assert shape["optional"] is item.rule.optional
        assert set(shape["entry_keys"]) == set(item.rule.entry_keys)


def test_describe_gives_each_kinds_parameters(make_rubric):
    rubric = make_rubric([
        {"code": "P", "text": "分项", "max": 5, "rule": {"kind": "parts", "parts": [
            {"code": "a", "text": "参与", "points": 2, "department": "组织部"},
            {"code": "b", "text": "创新", "points": 3, "rule": {"kind": "scale"}}]}},
        {"code": "M", "text": "重扣", "rule": {"kind": "major_deduction", "min": 5, "max": 10}},
        {"code": "D", "text": "扣分", "max": 2, "rule": {"kind": "deduction", "unit": "0.2"}},
    ])  # fmt: skip
    parts = rubric.items["P"].rule.describe()
    assert parts["parts"][0] == {
        "code": "a", "text": "参与", "points": Decimal(2), "department": "组织部",
        "rule": {"kind": "binary", "effect": "points", "optional": False, "entry_keys": ["met"]},
    }  # fmt: skip
    assert parts["parts"][1]["rule"]["kind"] == "scale"
    major = rubric.items["M"].rule.describe()
    assert (major["effect"], major["min"], major["max"]) == ("major", Decimal(5), Decimal(10))
    assert rubric.items["D"].rule.describe()["unit"] == Decimal("0.2")


def test_every_rule_kind_has_a_description():
    for kind, cls in RULES.items():
        assert cls().describe()["kind"] == kind

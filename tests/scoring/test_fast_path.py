"""`score_sheet` (per-rubric plans, cached blanks, results built without their generated
`__init__`) against the engine's sheet code as it was before (`reference_sheet.py`): on random
entries — valid and invalid — over every bundled standard and a rubric of every kind, both give
the same results, to the last Decimal digit, or the same problems in the same order."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from kaoping.rubrics import list_bundled
from kaoping.scoring import EntryError, parse_rubric, score_item, score_sheet
from kaoping.scoring import sheet as sheet_module
from kaoping.scoring.results import checked_build

from . import reference_sheet
from .test_workbook import ALL_KINDS

RUBRICS = [*list_bundled(), parse_rubric(ALL_KINDS)]


class Dice(random.Random):
    """random.Random that also decides when to slip in something invalid (never when clean)."""

    clean = False

    def bad(self, chance: float = 0.05) -> bool:
        return not self.clean and self.random() < chance


def _number(rnd: Dice, high: Decimal, step: Decimal) -> object:
    if rnd.bad(0.03):
        return rnd.choice([1.5, "abc", "-1", str(high + 1), "0.03"])  # float, junk, out of range
    value = step * rnd.randint(0, int(high / step))
    return str(value) if rnd.random() < 0.8 or value != int(value) else int(value)


def _simple(rnd: Dice, shape: dict, high: Decimal, step: Decimal) -> dict:
    kind = shape["kind"]
    if kind == "scale":
        return {} if rnd.bad() else {"score": _number(rnd, high, step)}
    if kind == "binary":
        return {"met": "yes" if rnd.bad() else rnd.choice([True, False, True])}
    if kind == "deduction":
        items = []
        for _ in range(rnd.choice([0, 1, 1, 2, 3])):
            raw: dict = {"amount": _number(rnd, high, step) or str(step)}
            if shape.get("unit") is not None and rnd.random() < 0.5:
                raw = {"count": -1 if rnd.bad() else rnd.choice([0, 1, 2, "3"])}
            if not rnd.bad():
                raw["reason"] = rnd.choice(["台账不全", " 未按时报送 "])
            items.append(raw)
        return {"deductions": items}
    if kind in ("tiered", "qualitative"):
        codes = [level["code"] for level in shape["levels"]]
        return {"level": "nope" if rnd.bad() else rnd.choice(codes)}
    if kind == "per_occurrence":
        return {"count": rnd.choice([-1, "x"]) if rnd.bad() else rnd.choice([0, 1, 2, 3, 5, "2"])}
    if kind == "graded_deduction":
        counts = {c["code"]: -1 if rnd.bad() else rnd.choice([0, 1, 2, 7])
                  for c in shape["categories"] if rnd.random() < 0.6}  # fmt: skip
        if rnd.bad():
            counts["nope"] = 1
        return {"counts": counts}
    if kind == "checklist":
        chosen = [c["code"] for c in shape["criteria"] if rnd.random() < 0.7]
        if rnd.bad():
            chosen.append("nope")
        return {"criteria": chosen}
    raise AssertionError(kind)


def _entry(rnd: Dice, item, shape: dict, custom: dict) -> dict | None:
    kind = shape["kind"]
    step = item.step
    if kind == "veto":
        return {"triggered": rnd.random() < 0.2, "note": "发生违纪"}
    if kind == "major_deduction":
        low, high = int(shape["min"]), int(shape["max"])
        amounts = [str(rnd.randint(low - 1, high + 1) if rnd.bad() else rnd.randint(low, high))
                   for _ in range(rnd.randint(0, 2))]  # fmt: skip
        return {"occurrences": [{"amount": a, "note": "事故"} for a in amounts]}
    if kind == "bonus":
        events = []
        for _ in range(rnd.randint(0, 3)):
            project = rnd.choice(["甲", "乙", None])
            if shape["levels"]:
                codes = [x["code"] for x in shape["levels"]]
                event: dict = {"level": "nope" if rnd.bad() else rnd.choice(codes)}
                if shape["modifiers"] and rnd.random() < 0.4:
                    event["modifier"] = rnd.choice([m["code"] for m in shape["modifiers"]])
            else:
                event = {"points": _number(rnd, shape["cap"] or Decimal(1), step)}
            if project:
                event["project"] = project
            events.append(event)
        return {"events": events}
    if kind == "ledger":
        codes = [e["code"] for e in shape["events"]]
        return {"events": [{"event": rnd.choice(codes), "count": rnd.choice([1, 2, 0])}
                           for _ in range(rnd.randint(0, 3))]}  # fmt: skip
    if kind == "parts":
        return {"parts": {p["code"]: _simple(rnd, p["rule"], p["points"], step)
                          for p in shape["parts"] if not rnd.bad()}}  # fmt: skip
    if kind == "custom_slots":
        low = shape["min_slots"] - (1 if rnd.bad() else 0)
        count = rnd.randint(max(low, 0), shape["max_slots"])
        written = [{"code": f"s{n}", "text": f"指标{n}"} for n in range(1, count + 1)]
        custom[item.code] = written
        return {"slots": {w["code"]: _simple(rnd, shape["rule"], shape["points_each"], step)
                          for w in written if not rnd.bad()}}  # fmt: skip
    return _simple(rnd, shape, item.max_points, step)


def random_sheet(rnd: Dice, rubric) -> tuple[dict, dict]:
    entries: dict = {}
    custom: dict = {}
    for code, item in rubric.items.items():
        shape = item.rule.describe()
        if rnd.bad(0.03):
            continue  # missing
        if (item.not_applicable_allowed and rnd.random() < 0.1) or rnd.bad(0.01):
            entries[code] = {"na": True}
            continue
        if shape["optional"] and rnd.random() < 0.4:
            continue  # nothing happened
        entry = _entry(rnd, item, shape, custom)
        if (rnd.random() < 0.03 and shape["effect"] in ("points", "bonus")) or rnd.bad(0.01):
            entry["falsified"] = "yes" if rnd.bad(0.2) else True
        if rnd.random() < 0.1:
            entry["comment"] = "材料不全"
        if item.item_bonus is not None and rnd.random() < 0.5:
            entry["bonus_count"] = rnd.choice([0, 1, 2])
        if rnd.bad(0.01):
            entry["typo"] = 1
        entries[code] = entry
    if rnd.bad(0.01):
        entries["no-such-item"] = {}
    return entries, custom


def _item(function, code):
    return lambda rubric, entry, **options: function(rubric, code, entry, **options)


def _outcome(function, rubric, entries, **options):
    try:
        return "ok", repr(function(rubric, entries, **options))
    except EntryError as err:
        return "error", err.problems


@pytest.mark.parametrize("rubric", RUBRICS, ids=lambda r: r.id)
def test_score_sheet_agrees_with_the_reference_on_random_sheets(rubric, monkeypatch):
    # every fast-built result names every field of its dataclass
    monkeypatch.setattr(sheet_module, "build", checked_build)
    rnd = Dice(f"kaoping-{rubric.id}")
    seen = {"ok": 0, "error": 0}
    for n in range(300):
        rnd.clean = n % 2 == 0
        entries, custom = random_sheet(rnd, rubric)
        org_kind = rnd.choice([None, None, *sorted(rubric.applies_to)])
        for allow_missing in (False, True):
            options = {"custom_items": custom or None, "org_kind": org_kind,
                       "allow_missing": allow_missing}  # fmt: skip
            fast = _outcome(score_sheet, rubric, entries, **options)
            slow = _outcome(reference_sheet.score_sheet, rubric, entries, **options)
            assert fast == slow
            seen[fast[0]] += 1
    assert seen["ok"] > 50 and seen["error"] > 50  # both kinds of answer were compared


@pytest.mark.parametrize("rubric", RUBRICS, ids=lambda r: r.id)
def test_score_item_agrees_with_the_reference(rubric):
    rnd = Dice(f"item-{rubric.id}")
    for n in range(50):
        rnd.clean = n % 2 == 0
        entries, custom = random_sheet(rnd, rubric)
        for code in rubric.items:
            options = {"custom_items": custom or None}
            fast = _outcome(_item(score_item, code), rubric, entries.get(code), **options)
            slow = _outcome(_item(reference_sheet.score_item, code), rubric,
                            entries.get(code), **options)  # fmt: skip
            assert fast == slow, code

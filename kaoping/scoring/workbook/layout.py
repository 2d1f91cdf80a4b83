"""The score sheet's layout, shared by the template writer and the reader.

Columns, left to right:

    序号 | 考核指标 | 编号 | 考核内容 | 评分标准 | 分值 | 扣分 | 扣分原因 | 得分     (deduction sheets)
    序号 | 考核指标 | 编号 | 考核内容 | 评分标准 | 分值 | 得分 | 说明                 (all others)

A sheet is a *deduction sheet* when any item (or a part or slot inside one) is scored by
deduction (`deduction`, `graded_deduction`): its raters write 扣分 and 扣分原因 as on the paper
sheet of seed 001. 序号 and 考核指标 are the section, merged over its rows. 编号 holds the item code
(and `code/sub` on the rows of criteria, parts, categories, occurrences, events and slots): the
reader finds every entry by this code, never by position.

`plan_rows(rubric)` lists the rows of one section in the order they are written; each row knows
what its rater enters (`InputSpec`) and in which column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kaoping.scoring.model import Item, Rubric, Section
from kaoping.scoring.rules.base import Rule, fmt

from .messages import SHEET

__all__ = [
    "BONUS_ROWS",
    "MAJOR_ROWS",
    "Columns",
    "InputSpec",
    "PlannedRow",
    "columns_for",
    "is_deduction_sheet",
    "plan_section",
    "simple_input",
]

MAJOR_ROWS = 3  # rows for 重扣分 occurrences per major-deduction item
BONUS_ROWS = 5  # rows for bonus events per bonus item

# Input types: decimal (a number in [low, high]), whole (a count ≥ 0), choice (a dropdown).
DECIMAL, WHOLE, CHOICE = "decimal", "whole", "choice"
# Where the input goes.
SCORE, DEDUCT = "score", "deduct"


@dataclass(frozen=True)
class InputSpec:
    """What a rater enters in one cell: its type, bounds or choices, and the column."""

    type: str
    column: str = SCORE
    low: Decimal | None = None
    high: Decimal | None = None
    step: Decimal | None = None
    choices: tuple[tuple[str, object], ...] = ()  # (label shown, value for the entry)
    hint: str = ""


@dataclass(frozen=True)
class PlannedRow:
    code: str  # the 编号 cell: an item code, or "item/sub"
    item: Item
    sub: str | None = None
    text: str = ""
    standard: str = ""
    points: Decimal | str | None = None
    input: InputSpec | None = None
    formula: str | None = None  # "deduction" | "checklist" | "graded" (display only)
    fill_text: bool = False  # the rater writes 考核内容 (custom slots)
    first_sub: int = 0  # for formulas: how many sub-rows follow
    subs: int = 0
    na: bool = False  # "不适用" may be written in 得分
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Columns:
    """Column numbers (1-based) by role; `deduct` is None on sheets without deductions."""

    seq: int = 1
    section: int = 2
    code: int = 3
    text: int = 4
    standard: int = 5
    points: int = 6
    deduct: int | None = None
    note: int = 8
    score: int = 7
    last: int = 8

    def header(self) -> list[tuple[int, str]]:
        heads = [
            (self.seq, SHEET["seq"]), (self.section, SHEET["section"]),
            (self.code, SHEET["code"]), (self.text, SHEET["text"]),
            (self.standard, SHEET["standard"]), (self.points, SHEET["points"]),
        ]  # fmt: skip
        if self.deduct is not None:
            heads += [(self.deduct, SHEET["deduct"]), (self.note, SHEET["reason"])]
        else:
            heads += [(self.note, SHEET["note"])]
        heads.append((self.score, SHEET["score"]))
        return sorted(heads)


def describe(rule: Rule | dict) -> dict:
    """A rule's public description (`Rule.describe()`); a description is passed through."""
    return rule if isinstance(rule, dict) else rule.describe()


def _rules_of(item: Item):
    """The descriptions of an item's rule and of the rules inside it (parts, slots)."""
    rule = item.rule.describe()
    yield rule
    if rule["kind"] == "parts":
        yield from (part["rule"] for part in rule["parts"])
    if rule["kind"] == "custom_slots" and rule["rule"] is not None:
        yield rule["rule"]


def is_deduction_sheet(rubric: Rubric) -> bool:
    return any(
        rule["kind"] in ("deduction", "graded_deduction")
        for item in rubric.items.values()
        for rule in _rules_of(item)
    )


def columns_for(rubric: Rubric) -> Columns:
    if is_deduction_sheet(rubric):
        return Columns(deduct=7, note=8, score=9, last=9)
    return Columns(deduct=None, score=7, note=8, last=8)


def _yes_no() -> tuple[tuple[str, object], ...]:
    return ((SHEET["yes"], True), (SHEET["no"], False))


def _levels(levels) -> tuple[tuple[str, object], ...]:
    return tuple((level["label"], level["code"]) for level in levels)


def simple_input(rule: Rule | dict, max_points: Decimal, step: Decimal) -> InputSpec | None:
    """The cell input of a rule (or its description) that fits in one cell (items, parts and
    slots); None otherwise."""
    rule = describe(rule)
    kind = rule["kind"]
    if kind == "scale":
        return InputSpec(DECIMAL, low=Decimal(0), high=max_points, step=step)
    if kind in ("binary", "veto"):
        return InputSpec(CHOICE, choices=_yes_no())
    if kind in ("tiered", "qualitative"):
        return InputSpec(CHOICE, choices=_levels(rule["levels"]))
    if kind == "per_occurrence":
        return InputSpec(WHOLE, hint="count")
    if kind == "deduction":
        return InputSpec(DECIMAL, column=DEDUCT, low=Decimal(0), high=max_points, step=step)
    return None


def plan_section(rubric: Rubric, section: Section) -> list[PlannedRow]:
    rows: list[PlannedRow] = []
    for item in section.items:
        rows.extend(_plan_item(rubric, item))
    return rows


def _plan_item(rubric: Rubric, item: Item) -> list[PlannedRow]:
    rule = item.rule.describe()
    kind = rule["kind"]
    base = {"item": item, "text": item.text, "standard": item.standard,
            "na": item.not_applicable_allowed}  # fmt: skip
    step = item.step
    if kind == "checklist":
        subs = [
            PlannedRow(code=f"{item.code}/{c['code']}", item=item, sub=c["code"], text=c["text"],
                       points=c["points"], input=InputSpec(CHOICE, choices=_yes_no()))
            for c in rule["criteria"]
        ]  # fmt: skip
        head = PlannedRow(code=item.code, points=item.max_points, formula="checklist",
                          subs=len(subs), **base)  # fmt: skip
        return [head, *subs]
    if kind == "parts":
        subs = []
        for part in rule["parts"]:
            spec = simple_input(part["rule"], part["points"], step)
            text = part["text"] + (f"（{part['department']}）" if part["department"] else "")
            subs.append(PlannedRow(code=f"{item.code}/{part['code']}", item=item,
                                   sub=part["code"], text=text, points=part["points"], input=spec,
                                   standard="" if spec else SHEET["json_only"]))  # fmt: skip
        return [PlannedRow(code=item.code, points=item.max_points, subs=len(subs), **base), *subs]
    if kind == "graded_deduction":
        subs = [
            PlannedRow(code=f"{item.code}/{c['code']}", item=item, sub=c["code"], text=c["label"],
                       standard=SHEET["category_standard"].format(unit=fmt(c["unit"])),
                       points=c["unit"], input=InputSpec(WHOLE, column=DEDUCT, hint="people"))
            for c in rule["categories"]
        ]  # fmt: skip
        head = PlannedRow(code=item.code, points=item.max_points, formula="graded",
                          subs=len(subs), **base)  # fmt: skip
        return [head, *subs]
    if kind == "major_deduction":
        spec = InputSpec(DECIMAL, column=DEDUCT, low=rule["min"], high=rule["max"], step=step,
                         hint="major")  # fmt: skip
        standard = item.standard or SHEET["major_standard"].format(
            low=fmt(rule["min"]), high=fmt(rule["max"])
        )
        subs = [
            PlannedRow(code=f"{item.code}/{n}", item=item, sub=str(n),
                       text=SHEET["occurrence"].format(n=n), input=spec)
            for n in range(1, MAJOR_ROWS + 1)
        ]  # fmt: skip
        head = PlannedRow(code=item.code, item=item, text=item.text, standard=standard,
                          subs=len(subs))  # fmt: skip
        return [head, *subs]
    if kind == "bonus":
        cap = rule["cap"]
        if rule["levels"]:
            choices = []
            for level in rule["levels"]:
                label = f"{level['label']}（{fmt(level['points'] or Decimal(0))}分）"
                choices.append((label, (level["code"], None)))
                for mod in rule["modifiers"]:
                    mod_label = SHEET["modifier_choice"].format(
                        level=level["label"],
                        modifier=mod["label"],
                        points=fmt((level["points"] or Decimal(0)) * mod["factor"]),
                    )
                    choices.append((mod_label, (level["code"], mod["code"])))
            spec = InputSpec(CHOICE, choices=tuple(choices), hint="bonus")
            standard = SHEET["bonus_standard"]
        else:
            spec = InputSpec(DECIMAL, low=Decimal(0), high=cap, step=step, hint="bonus")
            standard = SHEET["bonus_free_standard"].format(cap=fmt(cap or Decimal(0)))
        if cap is not None:
            standard += SHEET["bonus_cap"].format(cap=fmt(cap))
        if item.standard:
            standard = f"{item.standard}\n{standard}"
        subs = [
            PlannedRow(code=f"{item.code}/{n}", item=item, sub=str(n),
                       text=SHEET["event"].format(n=n), input=spec)
            for n in range(1, BONUS_ROWS + 1)
        ]  # fmt: skip
        head = PlannedRow(code=item.code, item=item, text=item.text, standard=standard,
                          points=cap, subs=len(subs))  # fmt: skip
        return [head, *subs]
    if kind == "custom_slots":
        each, low, high = rule["points_each"], rule["min_slots"], rule["max_slots"]
        spec = simple_input(rule["rule"], each, step)
        if low == high:
            standard = SHEET["slots_standard"].format(slots=high, points=fmt(each))
        else:
            standard = SHEET["slots_min_standard"].format(low=low, high=high, points=fmt(each))
        if item.standard:
            standard = f"{item.standard}\n{standard}"
        subs = [
            PlannedRow(code=f"{item.code}/{n}", item=item, sub=str(n), text="",
                       standard=SHEET["slot_text"].format(n=n) + ("" if spec else
                                                                SHEET["json_only"]),
                       points=each, input=spec, fill_text=True)
            for n in range(1, high + 1)
        ]  # fmt: skip
        head = PlannedRow(
            code=item.code,
            item=item,
            text=item.text,
            standard=standard,
            points=item.max_points,
            subs=len(subs),
            na=item.not_applicable_allowed,
        )
        return [head, *subs]
    if kind == "ledger":
        subs = [
            PlannedRow(code=f"{item.code}/{e['code']}", item=item, sub=e["code"], text=e["label"],
                       points=e["points"], input=InputSpec(WHOLE, hint="count"))
            for e in rule["events"]
        ]  # fmt: skip
        standard = item.standard or SHEET["ledger_standard"].format(base=fmt(rule["base"]))
        head = PlannedRow(
            code=item.code,
            item=item,
            text=item.text,
            standard=standard,
            points=rule["base"],
            subs=len(subs),
            na=item.not_applicable_allowed,
        )
        return [head, *subs]
    if kind == "veto":
        return [
            PlannedRow(
                code=item.code,
                points=SHEET["veto_points"],
                input=simple_input(rule, item.max_points, step),
                **base,
            )
        ]
    spec = simple_input(rule, item.max_points, step)
    points = item.max_points if (item.max_points or kind != "qualitative") else None
    formula = "deduction" if kind == "deduction" else None
    standard = item.standard if spec else f"{item.standard}{SHEET['json_only']}"
    return [PlannedRow(code=item.code, item=item, text=item.text, standard=standard,
                       points=points, input=spec, formula=formula,
                       na=item.not_applicable_allowed)]  # fmt: skip

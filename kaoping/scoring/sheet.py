"""Score one item or a whole sheet (one rater, one organization, one stage).

Every problem in the entries is collected and raised together as one EntryError; nothing is
clamped. Arithmetic is Decimal throughout; only totals are rounded, to the rubric's `rounding`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from kaoping.scoring.errors import EntryError, Problems
from kaoping.scoring.model import Item, Rubric, StarRule
from kaoping.scoring.numbers import ZERO, quantize
from kaoping.scoring.outcome import grade_for, star_lit
from kaoping.scoring.results import (
    ItemResult,
    LostPoints,
    SectionResult,
    SheetResult,
    build,
    field_defaults,
)
from kaoping.scoring.rules.base import Effect, Rule, RuleScore, ScoreContext, fmt
from kaoping.scoring.rules.custom_slots import CustomSlots

__all__ = ["score_item", "score_sheet"]

_COMMON_KEYS = ("comment", "na", "falsified")
# What a stored score can hold (DecimalField(max_digits=9, decimal_places=3)): an item or a
# total at or beyond a million points is refused, never truncated by the database.
MAX_SCORE = Decimal(1_000_000)
Entries = Mapping[str, Mapping[str, Any]]
CustomItems = Mapping[str, Sequence[Mapping[str, Any]]]


def score_item(
    rubric: Rubric,
    code: str,
    entry: Mapping[str, Any] | None,
    *,
    custom_items: CustomItems | None = None,
    org_kind: str | None = None,
) -> ItemResult:
    """Score one entry as it is typed (a web form's live total); raise EntryError if invalid."""
    problems = Problems()
    item = rubric.items.get(code)
    if item is None:
        problems.add(code, "unknown_item", f"本标准没有代码为“{code}”的考核内容")
        raise EntryError(problems.items)
    slots = (custom_items or {}).get(code)
    step = _plan_for(rubric).by_code[code]
    result = _score_item(rubric, step, entry, problems, slots=slots, org_kind=org_kind)
    if problems:
        raise EntryError(problems.items)
    return result


def score_sheet(
    rubric: Rubric,
    entries: Entries,
    *,
    custom_items: CustomItems | None = None,
    org_kind: str | None = None,
    allow_missing: bool = False,
) -> SheetResult:
    """Score a sheet: items, sections, bonus, major deductions, total, vetoes, grade, stars and
    the lost points. `org_kind` makes items outside their `applies_to` not applicable;
    `allow_missing` scores a draft (missing items score 0 and are listed in `missing`)."""
    plan = _plan_for(rubric)
    problems = Problems()
    custom = custom_items or {}
    _check_codes(rubric, entries, custom, problems)
    get = entries.get if isinstance(entries, Mapping) else {}.get
    results: dict[str, ItemResult] = {}
    for step in plan.items:
        code = step.code
        entry = get(code)
        if entry is None and step.blank is not None:
            applies_to = step.applies_to
            if org_kind is None or applies_to is None or org_kind in applies_to:
                results[code] = step.blank  # an optional item left blank: "nothing happened"
                continue
        results[code] = _score_item(
            rubric, step, entry, problems,
            slots=custom.get(code), org_kind=org_kind, allow_missing=allow_missing,
        )  # fmt: skip
    if problems:
        raise EntryError(problems.items)
    result = _assemble(rubric, plan, results)
    if max(abs(result.total), abs(result.scaled_total)) >= MAX_SCORE:
        problems.add(
            "sheet", "score_too_large", f"总分{fmt(result.total)}超出可保存的范围（须小于1000000）"
        )
        raise EntryError(problems.items)
    return result


def _check_codes(rubric: Rubric, entries: Entries, custom: CustomItems, problems: Problems):
    if not isinstance(entries, Mapping):
        problems.add("sheet", "bad_value", "录入须为“考核内容代码: 录入”映射")
        return
    for code in entries:
        if code not in rubric.items:
            problems.add(str(code), "unknown_item", f"本标准没有代码为“{code}”的考核内容")
    for code in custom:
        item = rubric.items.get(code)
        if item is None or not isinstance(item.rule, CustomSlots):
            problems.add(str(code), "not_custom", f"“{code}”不是可自拟指标的考核内容")


def _score_item(
    rubric: Rubric,
    step: _ItemPlan,
    entry: Mapping[str, Any] | None,
    problems: Problems,
    *,
    slots: Sequence[Mapping[str, Any]] | None,
    org_kind: str | None,
    allow_missing: bool = False,
) -> ItemResult:
    item = step.item
    if not step.applies(org_kind):
        if entry not in (None, {"na": True}):
            problems.add(item.code, "not_applicable_kind", "该项不适用于此类组织，不应录入")
        return ItemResult(**step.base, max_points=ZERO, not_applicable=True)
    if entry is None:
        if step.optional:
            if step.blank is not None:
                return step.blank
            return _score_item(rubric, step, {}, problems, slots=slots, org_kind=None)
        elif allow_missing:
            return ItemResult(**step.base, max_points=step.max_points, missing=True,
                              reasons=("未录入",))  # fmt: skip
        else:
            problems.add(item.code, "missing", "该项未录入")
            return ItemResult(**step.base, max_points=step.max_points)
    if not isinstance(entry, Mapping):
        problems.add(item.code, "bad_value", "录入须为映射")
        return ItemResult(**step.base, max_points=step.max_points)
    na = entry.get("na")
    if na is not None and na is not False:
        if na is not True or not item.not_applicable_allowed:
            problems.add(item.code, "na_not_allowed", "该项不允许标为不适用")
        return ItemResult(**step.base, max_points=ZERO, not_applicable=True)
    rule = step.rule
    ctx = ScoreContext(item.code, problems, item.max_points, item.step, slots)
    if not step.keys.issuperset(entry):
        rule.check_entry_keys(entry, ctx, step.extra_keys)
    scored = rule.score(entry, ctx)
    if item.item_bonus is not None:
        scored = _apply_item_bonus(item, entry, scored, ctx)
    return _finish(rubric, step, entry, scored, ctx)


def _apply_item_bonus(item: Item, entry, scored: RuleScore, ctx: ScoreContext) -> RuleScore:
    if item.item_bonus is None or "bonus_count" not in entry:
        return scored
    count = ctx.count(entry["bonus_count"], "项内加分次数")
    if not count:
        return scored
    extra = min(count * item.item_bonus.unit, item.item_bonus.cap)
    note = f"项内加分{fmt(extra)}分（上限{fmt(item.item_bonus.cap)}分）"
    return RuleScore(points=scored.points + extra, reasons=(*scored.reasons, note),
                     level=scored.level, triggered=scored.triggered)  # fmt: skip


def _finish(rubric, step: _ItemPlan, entry, scored: RuleScore, ctx) -> ItemResult:
    claimed = scored.points
    reasons = scored.reasons
    falsified = entry.get("falsified", False)
    value = claimed
    if falsified is not False:
        if not isinstance(falsified, bool):
            ctx.add("not_boolean", "falsified 须为 true 或 false")
            falsified = False
        elif not step.falsifiable:
            ctx.add("cannot_falsify", "反向指标和重扣分项不能标为弄虚作假")
            falsified = False
        else:
            value = -rubric.falsification_factor * claimed
            reasons = (*reasons, f"弄虚作假，加倍倒扣：申报{fmt(claimed)}分，计{fmt(value)}分")
    if abs(value) >= MAX_SCORE:
        ctx.add("score_too_large", f"得分{fmt(value)}超出可保存的范围（须小于1000000）")
    comment = entry.get("comment")
    comment = str(comment).strip() if comment else ""
    if step.is_points:
        score, amount = value, ZERO
    else:
        score, amount = ZERO, value
    return build(ItemResult, {
        **step.template, "score": score, "amount": amount, "claimed": claimed,
        "triggered": scored.triggered, "level": scored.level, "reasons": reasons,
        "comment": comment, "falsified": falsified,
    })  # fmt: skip


def _assemble(rubric: Rubric, plan: _Plan, items: dict[str, ItemResult]) -> SheetResult:
    sections = tuple(_section(rubric, s, items) for s in plan.sections)
    base_total = sum((s.contribution for s in sections), ZERO)
    applicable_max = sum(
        (
            s.applicable_points * (p.weight or 1)
            for s, p in zip(sections, plan.sections, strict=True)
        ),
        ZERO,
    )
    bonus_claimed = sum((items[code].amount for code in plan.bonus_codes), ZERO)
    bonus = bonus_claimed
    if rubric.bonus_cap is not None:
        bonus = min(bonus, rubric.bonus_cap)
    major = sum((s.major_deductions for s in sections), ZERO)
    total = quantize(base_total + bonus - major, rubric.rounding)
    scaled = total
    if applicable_max not in (rubric.full_marks, ZERO):
        scaled_base = base_total * rubric.full_marks / applicable_max
        scaled = quantize(scaled_base + bonus - major, rubric.rounding)
    vetoes = tuple(code for code in plan.veto_codes if items[code].triggered)
    return build(SheetResult, {
        "rubric_id": rubric.id, "items": MappingProxyType(items), "sections": sections,
        "base_total": base_total, "bonus": bonus, "bonus_claimed": bonus_claimed,
        "major_deductions": major, "total": total, "full_marks": rubric.full_marks,
        "applicable_max": applicable_max, "scaled_total": scaled, "vetoes": vetoes,
        "grade": grade_for(rubric.outcome, scaled, vetoed=bool(vetoes)),
        "stars": tuple(s.star for s in sections if s.star_lit and s.star),
        "lost": _lost(plan, items),
        "missing": tuple(code for code, r in items.items() if r.missing),
    })  # fmt: skip


def _section(rubric: Rubric, plan: _SectionPlan, items: dict[str, ItemResult]) -> SectionResult:
    score = not_applicable = major = ZERO
    for code, max_points in zip(plan.points_codes, plan.points_max, strict=True):
        result = items[code]
        score += result.score
        if result.not_applicable:
            not_applicable += max_points
    for code in plan.major_codes:
        major += items[code].amount
    star = plan.star
    applicable = plan.points - not_applicable
    lit = star is not None and star_lit(
        star, score=score, points=applicable, major=major,
        blocked=rubric.outcome.stars_blocked_by_major_deduction,
    )  # fmt: skip
    return build(SectionResult, {
        "code": plan.code, "title": plan.title, "points": plan.points,
        "applicable_points": applicable, "score": score,
        "contribution": score * plan.weight if plan.weight is not None else score,
        "major_deductions": major, "star": star.label if star else None, "star_lit": lit,
    })  # fmt: skip


def _lost(plan: _Plan, items: dict[str, ItemResult]) -> tuple[LostPoints, ...]:
    lost = []
    for step in plan.items:
        result = items[step.code]
        if step.blank is not None and result is step.blank:
            if step.blank_lost is not None:
                lost.append(step.blank_lost)
            continue
        line = _lost_line(step.item, result)
        if line is not None:
            lost.append(line)
    return tuple(lost)


def _lost_line(item: Item, result: ItemResult) -> LostPoints | None:
    reasons = result.reasons + ((result.comment,) if result.comment else ())
    if result.effect == Effect.POINTS and result.lost > 0:
        kind = "falsified" if result.falsified else "points"
        points = result.lost
    elif result.effect == Effect.MAJOR and result.amount > 0:
        kind, points = "major", result.amount
    elif result.effect == Effect.VETO and result.triggered:
        kind, points = "veto", ZERO
    elif result.effect == Effect.BONUS and result.falsified and result.amount < 0:
        kind, points = "falsified", -result.amount
    else:
        return None
    return build(LostPoints, {"item": result.code, "section": result.section, "kind": kind,
                              "points": points, "text": item.text, "reasons": reasons})  # fmt: skip


# --- per-rubric plans ---------------------------------------------------------------------------
# What does not depend on the entries is worked out once per rubric object and kept on it: the
# items in order, each section's point and major-deduction items, and the result of every optional
# item left blank ("nothing happened": on a deduction-style sheet most rows are blank).


@dataclass
class _ItemPlan:
    code: str
    item: Item
    rule: Rule
    applies_to: frozenset[str] | None
    optional: bool
    is_points: bool
    falsifiable: bool
    max_points: Decimal  # as results report it: 0 for adjustment kinds
    base: dict[str, str]  # the ItemResult fields every result of this item shares
    template: dict[str, Any]  # every ItemResult field: the shared ones and the defaults
    keys: frozenset[str]  # the keys an entry may carry
    extra_keys: tuple[str, ...]  # the keys every item accepts besides its rule's
    blank: ItemResult | None = None  # the result when left blank, if the rule allows it
    blank_lost: LostPoints | None = None

    def applies(self, org_kind: str | None) -> bool:
        return org_kind is None or self.applies_to is None or org_kind in self.applies_to


@dataclass(frozen=True)
class _SectionPlan:
    code: str
    title: str
    points: Decimal
    weight: Decimal | None
    points_codes: tuple[str, ...]  # items whose effect is POINTS, in order
    points_max: tuple[Decimal, ...]  # their max points
    major_codes: tuple[str, ...]
    star: StarRule | None


@dataclass(frozen=True)
class _Plan:
    items: tuple[_ItemPlan, ...]
    sections: tuple[_SectionPlan, ...]
    bonus_codes: tuple[str, ...]
    veto_codes: tuple[str, ...]
    by_code: dict[str, _ItemPlan]


_PLAN_ATTRIBUTE = "_kaoping_sheet_plan"
_ITEM_DEFAULTS = field_defaults(ItemResult)


def _plan_for(rubric: Rubric) -> _Plan:
    plan = rubric.__dict__.get(_PLAN_ATTRIBUTE)
    if plan is None:
        plan = _build_plan(rubric)
        object.__setattr__(rubric, _PLAN_ATTRIBUTE, plan)  # a cache, not a field: frozen is kept
    return plan


def _build_plan(rubric: Rubric) -> _Plan:
    steps = []
    for code, item in rubric.items.items():
        effect = item.effect
        extra = _COMMON_KEYS + (("bonus_count",) if item.item_bonus else ())
        step = _ItemPlan(
            code=code, item=item, rule=item.rule, applies_to=item.applies_to,
            optional=item.rule.optional, is_points=effect is Effect.POINTS,
            falsifiable=effect not in (Effect.VETO, Effect.MAJOR),
            max_points=item.max_points if effect is Effect.POINTS else ZERO,
            base={"code": code, "section": item.section, "kind": item.kind,
                  "effect": effect.value},
            keys=frozenset(item.rule.entry_keys) | frozenset(extra), extra_keys=extra,
            template={},
        )  # fmt: skip
        step.template = {**_ITEM_DEFAULTS, **step.base, "max_points": step.max_points}
        if step.optional:
            problems = Problems()
            blank = _score_item(rubric, step, {}, problems, slots=None, org_kind=None)
            if not problems:  # a rule that finds fault with a blank entry is scored every time
                step.blank, step.blank_lost = blank, _lost_line(item, blank)
        steps.append(step)
    sections = []
    for section in rubric.sections:
        points = [i for i in section.items if i.effect is Effect.POINTS]
        sections.append(_SectionPlan(
            code=section.code, title=section.title, points=section.points, weight=section.weight,
            points_codes=tuple(i.code for i in points),
            points_max=tuple(i.max_points for i in points),
            major_codes=tuple(i.code for i in section.items if i.effect is Effect.MAJOR),
            star=next((s for s in rubric.outcome.stars if s.section == section.code), None),
        ))  # fmt: skip
    every = list(rubric.items.values())
    return _Plan(
        items=tuple(steps),
        sections=tuple(sections),
        bonus_codes=tuple(i.code for i in every if i.effect is Effect.BONUS),
        veto_codes=tuple(i.code for i in every if i.effect is Effect.VETO),
        by_code={step.code: step for step in steps},
    )

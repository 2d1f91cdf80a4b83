"""The scoring engine's sheet code as it was before the per-rubric plans (commit 29f1d4d), kept
as a slow, obviously-correct reference: `test_fast_path.py` checks that `score_sheet` gives the
same results and the same errors on random entries. Not used by the application.

Score one item or a whole sheet (one rater, one organization, one stage).

Every problem in the entries is collected and raised together as one EntryError; nothing is
clamped. Arithmetic is Decimal throughout; only totals are rounded, to the rubric's `rounding`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from kaoping.scoring.errors import EntryError, Problems
from kaoping.scoring.model import Item, Rubric
from kaoping.scoring.numbers import ZERO, quantize
from kaoping.scoring.outcome import grade_for, star_lit
from kaoping.scoring.results import ItemResult, LostPoints, SectionResult, SheetResult
from kaoping.scoring.rules.base import Effect, RuleScore, ScoreContext, fmt
from kaoping.scoring.rules.custom_slots import CustomSlots

__all__ = ["score_item", "score_sheet"]

_COMMON_KEYS = ("comment", "na", "falsified")
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
    result = _score_item(rubric, item, entry, problems, slots=slots, org_kind=org_kind)
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
    problems = Problems()
    _check_codes(rubric, entries, custom_items or {}, problems)
    results: dict[str, ItemResult] = {}
    for code, item in rubric.items.items():
        slots = (custom_items or {}).get(code)
        results[code] = _score_item(
            rubric, item, entries.get(code), problems,
            slots=slots, org_kind=org_kind, allow_missing=allow_missing,
        )  # fmt: skip
    if problems:
        raise EntryError(problems.items)
    return _assemble(rubric, results)


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
    item: Item,
    entry: Mapping[str, Any] | None,
    problems: Problems,
    *,
    slots: Sequence[Mapping[str, Any]] | None,
    org_kind: str | None,
    allow_missing: bool = False,
) -> ItemResult:
    base = {"code": item.code, "section": item.section, "kind": item.kind,
            "effect": item.effect.value}  # fmt: skip
    max_points = item.max_points if item.effect is Effect.POINTS else ZERO
    if not item.applies(org_kind):
        if entry not in (None, {"na": True}):
            problems.add(item.code, "not_applicable_kind", "该项不适用于此类组织，不应录入")
        return ItemResult(**base, max_points=ZERO, not_applicable=True)
    if entry is None:
        if item.rule.optional:
            return _nothing_happened(rubric, item, problems, slots=slots)
        elif allow_missing:
            return ItemResult(**base, max_points=max_points, missing=True, reasons=("未录入",))
        else:
            problems.add(item.code, "missing", "该项未录入")
            return ItemResult(**base, max_points=max_points)
    if not isinstance(entry, Mapping):
        problems.add(item.code, "bad_value", "录入须为映射")
        return ItemResult(**base, max_points=max_points)
    if entry.get("na") is not None and entry.get("na") is not False:
        if entry.get("na") is not True or not item.not_applicable_allowed:
            problems.add(item.code, "na_not_allowed", "该项不允许标为不适用")
        return ItemResult(**base, max_points=ZERO, not_applicable=True)
    extra = _COMMON_KEYS + (("bonus_count",) if item.item_bonus else ())
    ctx = ScoreContext(code=item.code, problems=problems, max_points=item.max_points,
                       step=item.step, slots=slots)  # fmt: skip
    item.rule.check_entry_keys(entry, ctx, extra)
    scored = item.rule.score(entry, ctx)
    scored = _apply_item_bonus(item, entry, scored, ctx)
    return _finish(rubric, item, entry, scored, ctx, base, max_points)


# Results of optional items left blank ("nothing happened"), per item: on a deduction-style sheet
# most rows are blank, and scoring them again each time is most of the work.
_BLANK: dict[int, tuple[Item, ItemResult]] = {}


def _nothing_happened(rubric: Rubric, item: Item, problems: Problems, *, slots) -> ItemResult:
    cached = _BLANK.get(id(item))
    if cached is not None and cached[0] is item:
        return cached[1]
    result = _score_item(rubric, item, {}, problems, slots=slots, org_kind=None)
    if len(_BLANK) > 100_000:  # bounded: rubrics are few, but tests build many
        _BLANK.clear()
    _BLANK[id(item)] = (item, result)
    return result


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


def _finish(rubric, item: Item, entry, scored: RuleScore, ctx, base, max_points) -> ItemResult:
    falsified = entry.get("falsified", False)
    if not isinstance(falsified, bool):
        ctx.add("not_boolean", "falsified 须为 true 或 false")
        falsified = False
    if falsified and item.effect in (Effect.VETO, Effect.MAJOR):
        ctx.add("cannot_falsify", "反向指标和重扣分项不能标为弄虚作假")
        falsified = False
    claimed = scored.points
    value = -rubric.falsification_factor * claimed if falsified else claimed
    reasons = scored.reasons
    if falsified:
        reasons = (*reasons, f"弄虚作假，加倍倒扣：申报{fmt(claimed)}分，计{fmt(value)}分")
    points = item.effect is Effect.POINTS
    return ItemResult(
        **base, max_points=max_points, score=value if points else ZERO,
        amount=ZERO if points else value, claimed=claimed, triggered=scored.triggered,
        level=scored.level, reasons=reasons, comment=str(entry.get("comment") or "").strip(),
        falsified=falsified,
    )  # fmt: skip


def _assemble(rubric: Rubric, items: dict[str, ItemResult]) -> SheetResult:
    sections = tuple(_section(rubric, s, items) for s in rubric.sections)
    base_total = sum((s.contribution for s in sections), ZERO)
    applicable_max = sum(
        (s.applicable_points * (rubric.section(s.code).weight or 1) for s in sections), ZERO
    )
    bonus_claimed = sum((r.amount for r in items.values() if r.effect == Effect.BONUS), ZERO)
    bonus = bonus_claimed
    if rubric.bonus_cap is not None:
        bonus = min(bonus, rubric.bonus_cap)
    major = sum((s.major_deductions for s in sections), ZERO)
    total = quantize(base_total + bonus - major, rubric.rounding)
    scaled = total
    if applicable_max not in (rubric.full_marks, ZERO):
        scaled_base = base_total * rubric.full_marks / applicable_max
        scaled = quantize(scaled_base + bonus - major, rubric.rounding)
    vetoes = tuple(r.code for r in items.values() if r.effect == Effect.VETO and r.triggered)
    return SheetResult(
        rubric_id=rubric.id, items=MappingProxyType(items), sections=sections,
        base_total=base_total, bonus=bonus, bonus_claimed=bonus_claimed, major_deductions=major,
        total=total, full_marks=rubric.full_marks, applicable_max=applicable_max,
        scaled_total=scaled, vetoes=vetoes,
        grade=grade_for(rubric.outcome, scaled, vetoed=bool(vetoes)),
        stars=tuple(s.star for s in sections if s.star_lit and s.star),
        lost=_lost(rubric, items),
        missing=tuple(r.code for r in items.values() if r.missing),
    )  # fmt: skip


def _section(rubric: Rubric, section, items: dict[str, ItemResult]) -> SectionResult:
    results = [items[i.code] for i in section.items]
    points_items = [r for r in results if r.effect == Effect.POINTS]
    score = sum((r.score for r in points_items), ZERO)
    not_applicable = sum(
        (rubric.items[r.code].max_points for r in points_items if r.not_applicable), ZERO
    )
    major = sum((r.amount for r in results if r.effect == Effect.MAJOR), ZERO)
    star = next((s for s in rubric.outcome.stars if s.section == section.code), None)
    applicable = section.points - not_applicable
    lit = star is not None and star_lit(
        star, score=score, points=applicable, major=major,
        blocked=rubric.outcome.stars_blocked_by_major_deduction,
    )  # fmt: skip
    return SectionResult(
        code=section.code, title=section.title, points=section.points,
        applicable_points=applicable, score=score,
        contribution=score * section.weight if section.weight is not None else score,
        major_deductions=major, star=star.label if star else None, star_lit=lit,
    )  # fmt: skip


def _lost(rubric: Rubric, items: dict[str, ItemResult]) -> tuple[LostPoints, ...]:
    lost = []
    for result in items.values():
        item = rubric.items[result.code]
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
            continue
        lost.append(LostPoints(item=result.code, section=result.section, kind=kind,
                               points=points, text=item.text, reasons=reasons))  # fmt: skip
    return tuple(lost)

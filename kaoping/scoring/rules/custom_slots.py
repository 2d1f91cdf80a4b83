"""custom_slots — items written per organization (or worded by the organizer), fixed points each.

Seed 003: 5 个性指标 × 5 分 written by each unit, and 15 common five-point slots whose wording the
organizer supplies (the document gives only their four groups). Seed 004: "个性项目不少于2个".
The written slots are passed to scoring (`custom_items`); each is scored with the slot rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from kaoping.scoring.numbers import ZERO, NumberError, parse_count

from .base import ParseContext, Rule, RuleScore, ScoreContext

__all__ = ["CustomSlots"]


@dataclass(frozen=True)
class CustomSlots(Rule):
    kind: ClassVar[str] = "custom_slots"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"slots"})
    min_slots: int = 0
    max_slots: int = 0
    points_each: Decimal = ZERO
    written_by: str = "organization"
    slot_rule: Rule | None = None

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> CustomSlots:
        from .registry import parse_rule  # the registry imports this module

        allowed = ("slots", "min_slots", "max_slots", "points_each", "written_by", "rule", "groups")
        ctx.check_keys(params, allowed)
        low, high = cls._parse_counts(params, ctx)
        points_each = ctx.points(params, "points_each", what="每个指标分值") or ZERO
        written_by = params.get("written_by", "organization")
        if written_by not in ("organization", "organizer"):
            ctx.add("bad_value", "written_by 须为 organization 或 organizer")
        child = ctx.child(f"{ctx.code}/*", points_each)
        slot_rule = parse_rule(params.get("rule", {"kind": "scale"}), child, nested=True)
        return cls(
            min_slots=low,
            max_slots=high,
            points_each=points_each,
            written_by=str(written_by),
            slot_rule=slot_rule,
        )

    @staticmethod
    def _parse_counts(params, ctx: ParseContext) -> tuple[int, int]:
        def count(key: str) -> int:
            try:
                return parse_count(params[key])
            except NumberError as err:
                ctx.add(err.code, f"{key}：{err.message}")
                return 0

        if "slots" in params:
            if "min_slots" in params or "max_slots" in params:
                ctx.add("bad_value", "slots 与 min_slots/max_slots 只能用其一")
            fixed = count("slots")
            return fixed, fixed
        if "min_slots" in params and "max_slots" in params:
            low, high = count("min_slots"), count("max_slots")
            if low > high:
                ctx.add("bad_range", "min_slots 大于 max_slots")
            return low, high
        ctx.add("missing_key", "须规定 slots（固定个数）或 min_slots 与 max_slots")
        return 0, 0

    def parameters(self) -> dict:
        return {
            "min_slots": self.min_slots,
            "max_slots": self.max_slots,
            "points_each": self.points_each,
            "written_by": self.written_by,
            "rule": self.slot_rule.describe() if self.slot_rule is not None else None,
        }

    def implied_max(self) -> Decimal | None:
        return self.max_slots * self.points_each

    def _check_written(self, slots: Sequence[Mapping[str, Any]] | None, ctx: ScoreContext):
        if slots is None:
            ctx.add("missing_custom_slot", "该项的指标尚未填写（custom_items）")
            return []
        if len(slots) < self.min_slots:
            ctx.add("missing_custom_slot", f"须填写至少{self.min_slots}个指标，现有{len(slots)}个")
        if len(slots) > self.max_slots:
            ctx.add("too_many_slots", f"最多填写{self.max_slots}个指标，现有{len(slots)}个")
        codes = [str(slot.get("code", "")) for slot in slots]
        if len(set(codes)) != len(codes) or "" in codes:
            ctx.add("duplicate_code", "填写的指标代码须唯一且不为空")
        return slots

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        written = self._check_written(ctx.slots, ctx)
        answers = entry.get("slots")
        if not isinstance(answers, Mapping):
            ctx.add("missing_value", "须逐个指标录入（slots）")
            return RuleScore()
        by_code = {str(slot.get("code")): slot for slot in written}
        for code in answers:
            if str(code) not in by_code:
                ctx.add("unknown_slot", f"没有代码为“{code}”的已填写指标")
        total = ZERO
        reasons: list[str] = []
        for code, slot in by_code.items():
            child = ctx.child(f"{ctx.code}/{code}", self.points_each)
            sub = answers.get(code)
            if sub is None and not self.slot_rule.optional:
                child.add("missing", f"指标“{slot.get('text') or code}”未录入")
                continue
            sub = sub or {}
            self.slot_rule.check_entry_keys(sub, child)
            result = self.slot_rule.score(sub, child)
            total += result.points
            label = slot.get("text") or code
            reasons.extend(f"{label}：{reason}" for reason in result.reasons)
        return RuleScore(points=total, reasons=tuple(reasons))

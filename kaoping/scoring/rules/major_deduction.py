"""major_deduction — 重扣分项, "每项扣5-10分" (seed 004).

Each occurrence is an amount within the rule's range; the sum is subtracted from the total and
charged to the item's section (so that section's star is not lit).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO, is_multiple

from .base import Effect, ParseContext, Rule, RuleScore, ScoreContext, fmt

__all__ = ["MajorDeduction"]


@dataclass(frozen=True)
class MajorDeduction(Rule):
    kind: ClassVar[str] = "major_deduction"
    effect: ClassVar[Effect] = Effect.MAJOR
    entry_keys: ClassVar[frozenset[str]] = frozenset({"occurrences"})
    optional: ClassVar[bool] = True
    needs_max: ClassVar[bool] = False
    low: Decimal = ZERO
    high: Decimal = ZERO

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> MajorDeduction:
        ctx.check_keys(params, ("min", "max"))
        low = ctx.points(params, "min", what="每项最少扣分") or ZERO
        high = ctx.points(params, "max", what="每项最多扣分") or ZERO
        if low > high:
            ctx.add("bad_range", f"扣分范围{fmt(low)}–{fmt(high)}的下限大于上限")
        return cls(low=low, high=high)

    def parameters(self) -> dict:
        return {"min": self.low, "max": self.high}

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        occurrences = entry.get("occurrences", [])
        if not isinstance(occurrences, list):
            ctx.add("bad_value", "occurrences 须为列表")
            return RuleScore()
        total = ZERO
        reasons = []
        for raw in occurrences:
            if not isinstance(raw, dict) or "amount" not in raw:
                ctx.add("missing_value", "每次重扣分须填写扣分（amount）")
                continue
            for key in raw:
                if key not in ("amount", "note"):
                    ctx.add("unknown_key", f"重扣分含未知字段“{key}”")
            amount = ctx.decimal(raw["amount"], "重扣分")
            if amount is None:
                continue
            if not self.low <= amount <= self.high:
                ctx.add(
                    "out_of_range",
                    f"重扣分{fmt(amount)}不在规定范围{fmt(self.low)}–{fmt(self.high)}分内",
                )
                continue
            if not is_multiple(amount, ctx.step):
                ctx.add("off_step", f"重扣分{fmt(amount)}不是步长{fmt(ctx.step)}的整数倍")
                continue
            total += amount
            note = str(raw.get("note") or "").strip()
            reasons.append(f"重扣{fmt(amount)}分" + (f"：{note}" if note else ""))
        return RuleScore(points=total, reasons=tuple(reasons), triggered=bool(reasons))

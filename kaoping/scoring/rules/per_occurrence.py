"""per_occurrence — "2分，每次1分" (seed 004): count × unit, capped at the item's max."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO

from .base import ParseContext, Rule, RuleScore, ScoreContext, fmt

__all__ = ["PerOccurrence"]


@dataclass(frozen=True)
class PerOccurrence(Rule):
    kind: ClassVar[str] = "per_occurrence"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"count"})
    unit: Decimal = ZERO

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> PerOccurrence:
        ctx.check_keys(params, ("unit",))
        return cls(unit=ctx.points(params, "unit", what="每次分值") or ZERO)

    def parameters(self) -> dict:
        return {"unit": self.unit}

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        if "count" not in entry:
            ctx.add("missing_value", "缺少次数（count）")
            return RuleScore()
        count = ctx.count(entry["count"], "次数")
        if count is None:
            return RuleScore()
        points = min(count * self.unit, ctx.max_points)
        reasons = ()
        if points < ctx.max_points:
            reasons = (f"{count}次，每次{fmt(self.unit)}分",)
        return RuleScore(points=points, reasons=reasons)

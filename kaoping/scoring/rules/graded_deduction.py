"""graded_deduction — "主要领导扣1分/人次，其他市管干部扣0.8分/人次…扣完为止" (seed 004).

A count per category times the category's unit, subtracted from the max, floor 0 (扣完为止).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO

from .base import ParseContext, Rule, RuleScore, ScoreContext, fmt

__all__ = ["Category", "GradedDeduction"]


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    unit: Decimal


@dataclass(frozen=True)
class GradedDeduction(Rule):
    kind: ClassVar[str] = "graded_deduction"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"counts", "reason"})
    optional: ClassVar[bool] = True
    categories: tuple[Category, ...] = ()

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> GradedDeduction:
        ctx.check_keys(params, ("categories",))
        categories = []
        for raw in ctx.coded_list(params, "categories", what="扣分类别"):
            unit = ctx.points(raw, "unit", what=f"类别“{raw['code']}”每人次扣分")
            label = str(raw.get("label", raw["code"]))
            categories.append(Category(code=str(raw["code"]), label=label, unit=unit or ZERO))
        return cls(categories=tuple(categories))

    def parameters(self) -> dict:
        return {"categories": [{"code": c.code, "label": c.label, "unit": c.unit}
                               for c in self.categories]}  # fmt: skip

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        counts = entry.get("counts", {})
        if not isinstance(counts, Mapping):
            ctx.add("bad_value", "counts 须为“类别: 人次”映射")
            return RuleScore()
        by_code = {c.code: c for c in self.categories}
        total = ZERO
        reasons = []
        for code, raw in counts.items():
            category = by_code.get(str(code))
            if category is None:
                ctx.add("unknown_category", f"没有代码为“{code}”的扣分类别")
                continue
            count = ctx.count(raw, f"“{category.label}”人次")
            if not count:
                continue
            amount = count * category.unit
            total += amount
            reasons.append(f"{category.label}{count}人次，扣{fmt(amount)}分")
        if reasons and entry.get("reason"):
            reasons.append(str(entry["reason"]))
        return RuleScore(points=max(ctx.max_points - total, ZERO), reasons=tuple(reasons))

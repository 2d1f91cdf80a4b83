"""checklist — "…各得1分，最高得3分" (seed 000): criteria met add their points, capped at max."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO

from .base import ParseContext, Rule, RuleScore, ScoreContext, fmt

__all__ = ["Checklist", "Criterion"]


@dataclass(frozen=True)
class Criterion:
    code: str
    text: str
    points: Decimal


@dataclass(frozen=True)
class Checklist(Rule):
    kind: ClassVar[str] = "checklist"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"criteria"})
    criteria: tuple[Criterion, ...] = ()

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Checklist:
        ctx.check_keys(params, ("criteria",))
        criteria = []
        for raw in ctx.coded_list(params, "criteria", what="评分要点"):
            points = ctx.points(raw, "points", what=f"要点“{raw['code']}”分值")
            criteria.append(
                Criterion(
                    code=str(raw["code"]), text=str(raw.get("text", "")), points=points or ZERO
                )
            )
        reachable = sum((c.points for c in criteria), ZERO)
        if ctx.max_points is not None and criteria and reachable < ctx.max_points:
            ctx.add(
                "checklist_unreachable",
                f"各要点合计{fmt(reachable)}分，达不到该项满分{fmt(ctx.max_points)}分",
            )
        return cls(criteria=tuple(criteria))

    def parameters(self) -> dict:
        return {"criteria": [{"code": c.code, "text": c.text, "points": c.points}
                             for c in self.criteria]}  # fmt: skip

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        chosen = entry.get("criteria")
        if not isinstance(chosen, list):
            ctx.add("missing_value", "须列出达到的要点（criteria）")
            return RuleScore()
        by_code = {c.code: c for c in self.criteria}
        met: set[str] = set()
        for code in map(str, chosen):
            if code not in by_code:
                ctx.add("unknown_criterion", f"没有代码为“{code}”的评分要点")
            elif code in met:
                ctx.add("duplicate_criterion", f"评分要点“{code}”重复")
            met.add(code)
        total = sum((c.points for c in self.criteria if c.code in met), ZERO)
        points = min(total, ctx.max_points)
        reasons = ()
        if points < ctx.max_points:
            reasons = tuple(
                f"未达到：{c.text or c.code}" for c in self.criteria if c.code not in met
            )
        return RuleScore(points=points, reasons=reasons)

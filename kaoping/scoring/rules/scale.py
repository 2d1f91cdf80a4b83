"""scale — "酌情打分，最高得4分" (seed 000): the rater gives a number 0..max on the item's step."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import is_multiple

from .base import ParseContext, Rule, RuleScore, ScoreContext, fmt

__all__ = ["Scale", "check_score"]


def check_score(value: Decimal, ctx: ScoreContext) -> bool:
    """Report a score below 0, above the max or off the step; True when it is valid."""
    ok = True
    if value < 0:
        ctx.add("below_zero", f"得分{fmt(value)}不能为负数")
        ok = False
    if value > ctx.max_points:
        ctx.add("above_max", f"得分{fmt(value)}超过该项满分{fmt(ctx.max_points)}")
        ok = False
    if not is_multiple(value, ctx.step):
        ctx.add("off_step", f"得分{fmt(value)}不是步长{fmt(ctx.step)}的整数倍")
        ok = False
    return ok


@dataclass(frozen=True)
class Scale(Rule):
    kind: ClassVar[str] = "scale"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"score"})

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Scale:
        ctx.check_keys(params, ())
        return cls()

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        if "score" not in entry:
            ctx.add("missing_value", "缺少得分（score）")
            return RuleScore()
        value = ctx.decimal(entry["score"], "得分")
        if value is None or not check_score(value, ctx):
            return RuleScore()
        return RuleScore(points=value)

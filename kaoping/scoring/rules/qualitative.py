"""qualitative — 考评要点 with no points (seed 002): a level (好/较好/一般/差) and a comment.

Levels may carry points; then the item's max is the highest level's points, as with `tiered`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO

from .base import ParseContext, Rule, RuleScore, ScoreContext
from .tiered import Level, describe_levels, parse_levels

__all__ = ["Qualitative"]


@dataclass(frozen=True)
class Qualitative(Rule):
    kind: ClassVar[str] = "qualitative"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"level"})
    levels: tuple[Level, ...] = ()
    comment_required: bool = False

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Qualitative:
        ctx.check_keys(params, ("levels", "comment_required"))
        required = params.get("comment_required", False)
        if not isinstance(required, bool):
            ctx.add("not_boolean", "comment_required 须为 true 或 false")
            required = False
        return cls(levels=parse_levels(params, ctx, points="optional"), comment_required=required)

    def implied_max(self) -> Decimal | None:
        return max((level.points or ZERO for level in self.levels), default=ZERO)

    def parameters(self) -> dict:
        return {"levels": describe_levels(self.levels), "comment_required": self.comment_required}

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        code = entry.get("level")
        level = next((x for x in self.levels if x.code == str(code)), None)
        if level is None:
            ctx.add("unknown_level", f"没有代码为“{code}”的等次")
            return RuleScore()
        comment = str(entry.get("comment") or "").strip()
        if self.comment_required and not comment:
            ctx.add("missing_comment", "该项须填写评语（comment）")
        points = level.points or ZERO
        reasons = (f"评价：{level.label}",) if points < ctx.max_points else ()
        return RuleScore(points=points, level=level.code, reasons=reasons)

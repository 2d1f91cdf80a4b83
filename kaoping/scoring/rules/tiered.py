"""tiered — "优秀单位得10分，良好单位得8分" (seed 004): the level chosen gives its points."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO, is_multiple

from .base import ParseContext, Rule, RuleScore, ScoreContext, fmt

__all__ = ["Level", "Tiered", "describe_levels", "parse_levels"]


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    points: Decimal | None = None


def describe_levels(levels: tuple[Level, ...]) -> list[dict]:
    return [{"code": x.code, "label": x.label, "points": x.points} for x in levels]


def parse_levels(params, ctx: ParseContext, *, points: str) -> tuple[Level, ...]:
    """Parse `levels`; `points` is "required", "optional" (all or none) or "forbidden"."""
    levels = []
    for raw in ctx.coded_list(params, "levels", what="等次"):
        value = None
        if "points" in raw and points != "forbidden":
            value = ctx.decimal(raw["points"], f"等次“{raw['code']}”分值")
            if value is not None and (value < 0 or not is_multiple(value, ctx.step)) and value:
                ctx.add("off_step", f"等次“{raw['code']}”分值{fmt(value)}须为非负且合乎步长")
        elif points == "required":
            ctx.add("missing_key", f"等次“{raw['code']}”缺少分值（points）")
        levels.append(
            Level(code=str(raw["code"]), label=str(raw.get("label", raw["code"])), points=value)
        )
    with_points = [level for level in levels if level.points is not None]
    if points == "optional" and with_points and len(with_points) != len(levels):
        ctx.add("levels_mixed", "等次要么都给分值，要么都不给")
    return tuple(levels)


@dataclass(frozen=True)
class Tiered(Rule):
    kind: ClassVar[str] = "tiered"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"level"})
    levels: tuple[Level, ...] = ()

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Tiered:
        ctx.check_keys(params, ("levels",))
        return cls(levels=parse_levels(params, ctx, points="required"))

    def implied_max(self) -> Decimal | None:
        return max((level.points or ZERO for level in self.levels), default=None)

    def parameters(self) -> dict:
        return {"levels": describe_levels(self.levels)}

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        code = entry.get("level")
        level = next((x for x in self.levels if x.code == str(code)), None)
        if level is None:
            ctx.add("unknown_level", f"没有代码为“{code}”的等次")
            return RuleScore()
        points = level.points or ZERO
        reasons = (f"等次：{level.label}",) if points < ctx.max_points else ()
        return RuleScore(points=points, level=level.code, reasons=reasons)

"""binary — "支部上党课每年不少于1次，得2分" (seed 000): met scores the max, not met scores 0."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from kaoping.scoring.numbers import ZERO

from .base import ParseContext, Rule, RuleScore, ScoreContext

__all__ = ["Binary"]


@dataclass(frozen=True)
class Binary(Rule):
    kind: ClassVar[str] = "binary"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"met"})

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Binary:
        ctx.check_keys(params, ())
        return cls()

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        met = entry.get("met")
        if not isinstance(met, bool):
            ctx.add("not_boolean", "须注明是否达到（met: true/false）")
            return RuleScore()
        if met:
            return RuleScore(points=ctx.max_points)
        return RuleScore(points=ZERO, reasons=("未达到要求",))

"""veto — the 7 反向指标 (seed 003): one triggered forces the failing grade; no points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Effect, ParseContext, Rule, RuleScore, ScoreContext

__all__ = ["Veto"]


@dataclass(frozen=True)
class Veto(Rule):
    kind: ClassVar[str] = "veto"
    effect: ClassVar[Effect] = Effect.VETO
    entry_keys: ClassVar[frozenset[str]] = frozenset({"triggered", "note"})
    optional: ClassVar[bool] = True
    needs_max: ClassVar[bool] = False

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Veto:
        ctx.check_keys(params, ())
        return cls()

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        triggered = entry.get("triggered", False)
        if not isinstance(triggered, bool):
            ctx.add("not_boolean", "须注明是否存在该情形（triggered: true/false）")
            return RuleScore()
        if not triggered:
            return RuleScore()
        note = str(entry.get("note") or "").strip()
        return RuleScore(triggered=True, reasons=(note,) if note else ())

"""ledger — a running points ledger over a year on a base of 100 that may exceed 100.

Not in the five seeds; standards issued elsewhere keep one (积分制管理). Events add or subtract
their points; the score has a floor of 0 and no ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO

from .base import ParseContext, Rule, RuleScore, ScoreContext, fmt

__all__ = ["Ledger", "LedgerEvent"]


@dataclass(frozen=True)
class LedgerEvent:
    code: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class Ledger(Rule):
    kind: ClassVar[str] = "ledger"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"events"})
    optional: ClassVar[bool] = True
    base: Decimal = ZERO
    events: tuple[LedgerEvent, ...] = ()

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Ledger:
        ctx.check_keys(params, ("base", "events"))
        base = ctx.points(params, "base", what="基础分") or ZERO
        events = []
        for raw in ctx.coded_list(params, "events", what="积分事项"):
            points = ctx.decimal(raw.get("points"), f"事项“{raw['code']}”分值") or ZERO
            label = str(raw.get("label", raw["code"]))
            events.append(LedgerEvent(code=str(raw["code"]), label=label, points=points))
        return cls(base=base, events=tuple(events))

    def parameters(self) -> dict:
        return {"base": self.base,
                "events": [{"code": e.code, "label": e.label, "points": e.points}
                           for e in self.events]}  # fmt: skip

    def implied_max(self) -> Decimal | None:
        return self.base

    def upper_bound(self, max_points: Decimal) -> Decimal | None:
        return None

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        raw_events = entry.get("events", [])
        if not isinstance(raw_events, list):
            ctx.add("bad_value", "events 须为列表")
            return RuleScore(points=self.base)
        by_code = {e.code: e for e in self.events}
        total = self.base
        reasons = []
        for raw in raw_events:
            event = by_code.get(str(raw.get("event"))) if isinstance(raw, dict) else None
            if event is None:
                ctx.add("unknown_event", f"没有代码为“{raw}”的积分事项")
                continue
            count = ctx.count(raw.get("count", 1), f"“{event.label}”次数")
            if not count:
                continue
            total += count * event.points
            if event.points < 0:
                reasons.append(f"{event.label}{count}次，扣{fmt(-count * event.points)}分")
        return RuleScore(points=max(total, ZERO), reasons=tuple(reasons))

"""bonus — 加分项目 (seed 004).

"中央、省委、市委发文表彰分别加3、2、1分…同一项目…不能累计，以最高分计": per project only the
highest event counts. "会议交流或刊物发表的各减半加分": a modifier multiplies an event's points.
The item may have its own cap; the rubric's `bonus_cap` caps all bonus items together.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO

from .base import Effect, ParseContext, Rule, RuleScore, ScoreContext, fmt
from .tiered import Level, describe_levels, parse_levels

__all__ = ["Bonus", "Modifier"]


@dataclass(frozen=True)
class Modifier:
    code: str
    label: str
    factor: Decimal


@dataclass(frozen=True)
class Bonus(Rule):
    kind: ClassVar[str] = "bonus"
    effect: ClassVar[Effect] = Effect.BONUS
    entry_keys: ClassVar[frozenset[str]] = frozenset({"events"})
    optional: ClassVar[bool] = True
    needs_max: ClassVar[bool] = False
    levels: tuple[Level, ...] = ()
    modifiers: tuple[Modifier, ...] = ()
    per_project: str = "highest"
    cap: Decimal | None = None

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Bonus:
        ctx.check_keys(params, ("levels", "modifiers", "per_project", "cap"))
        levels = parse_levels(params, ctx, points="required") if "levels" in params else ()
        modifiers = []
        if "modifiers" in params:
            for raw in ctx.coded_list(params, "modifiers", what="加分折算"):
                factor = ctx.decimal(raw.get("factor"), f"折算“{raw['code']}”系数") or ZERO
                if not ZERO <= factor <= 1:
                    ctx.add("bad_factor", f"折算“{raw['code']}”系数须在0到1之间")
                label = str(raw.get("label", raw["code"]))
                modifiers.append(Modifier(code=str(raw["code"]), label=label, factor=factor))
        per_project = params.get("per_project", "highest")
        if per_project not in ("highest", "sum"):
            ctx.add("bad_value", f"per_project 须为 highest 或 sum（现为“{per_project}”）")
        cap = ctx.points(params, "cap", what="本项加分上限") if "cap" in params else None
        if not levels and cap is None:
            ctx.add("missing_key", "酌情加分（无 levels）须规定上限 cap")
        return cls(levels=levels, modifiers=tuple(modifiers), per_project=per_project, cap=cap)

    def parameters(self) -> dict:
        return {
            "levels": describe_levels(self.levels),
            "modifiers": [{"code": m.code, "label": m.label, "factor": m.factor}
                          for m in self.modifiers],
            "per_project": self.per_project,
            "cap": self.cap,
        }  # fmt: skip

    def _event_points(self, raw: dict, ctx: ScoreContext) -> Decimal | None:
        for key in raw:
            if key not in ("project", "level", "modifier", "points", "note"):
                ctx.add("unknown_key", f"加分事项含未知字段“{key}”")
        if self.levels:
            level = next((x for x in self.levels if x.code == str(raw.get("level"))), None)
            if level is None:
                ctx.add("unknown_level", f"没有代码为“{raw.get('level')}”的加分等次")
                return None
            points = level.points or ZERO
        else:
            points = ctx.decimal(raw.get("points"), "酌情加分")
            if points is None:
                return None
            if not ZERO <= points <= (self.cap or ZERO):
                ctx.add("out_of_range", f"酌情加分{fmt(points)}须在0到{fmt(self.cap or ZERO)}之间")
                return None
        if raw.get("modifier") is not None:
            modifier = next((m for m in self.modifiers if m.code == str(raw["modifier"])), None)
            if modifier is None:
                ctx.add("unknown_modifier", f"没有代码为“{raw['modifier']}”的加分折算")
                return None
            points *= modifier.factor
        return points

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        events = entry.get("events", [])
        if not isinstance(events, list):
            ctx.add("bad_value", "events 须为列表")
            return RuleScore()
        best: dict[str, Decimal] = {}
        total = ZERO
        for index, raw in enumerate(events):
            if not isinstance(raw, dict):
                ctx.add("bad_value", "每个加分事项须为映射")
                continue
            points = self._event_points(raw, ctx)
            if points is None:
                continue
            if self.per_project == "sum":
                total += points
                continue
            project = str(raw.get("project") or f"#{index + 1}")
            best[project] = max(best.get(project, ZERO), points)
        total += sum(best.values(), ZERO)
        reasons = tuple(f"{project}：加{fmt(points)}分" for project, points in best.items())
        if self.cap is not None and total > self.cap:
            reasons += (f"本项加分{fmt(total)}分，按上限计{fmt(self.cap)}分",)
            total = self.cap
        return RuleScore(points=total, reasons=reasons)

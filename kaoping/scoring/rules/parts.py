"""parts — "积极参与…得2分；标准化党支部建设有创新，得3分" (seed 000).

An item made of parts, each with its own points and simple rule; the item score is their sum. A
part may name the department that scores it: one item's points split among scoring departments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO

from .base import ParseContext, Rule, RuleScore, ScoreContext, fmt

__all__ = ["Part", "Parts"]


@dataclass(frozen=True)
class Part:
    code: str
    text: str
    points: Decimal
    rule: Rule
    department: str | None = None


@dataclass(frozen=True)
class Parts(Rule):
    kind: ClassVar[str] = "parts"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"parts"})
    parts: tuple[Part, ...] = ()

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Parts:
        from .registry import parse_rule  # the registry imports this module

        ctx.check_keys(params, ("parts",))
        parts = []
        for raw in ctx.coded_list(params, "parts", what="分项"):
            code = str(raw["code"])
            for key in raw:
                if key not in ("code", "text", "points", "rule", "department"):
                    ctx.add("unknown_key", f"分项“{code}”含未知参数“{key}”")
            points = ctx.points(raw, "points", what=f"分项“{code}”分值") or ZERO
            child = ctx.child(f"{ctx.code}/{code}", points)
            rule = parse_rule(raw.get("rule", {"kind": "binary"}), child, nested=True)
            department = raw.get("department")
            parts.append(
                Part(
                    code=code,
                    text=str(raw.get("text", "")),
                    points=points,
                    rule=rule,
                    department=None if department is None else str(department),
                )
            )
        total = sum((p.points for p in parts), ZERO)
        if ctx.max_points is not None and parts and total != ctx.max_points:
            ctx.add("parts_sum", f"各分项合计{fmt(total)}分，与该项满分{fmt(ctx.max_points)}分不符")
        return cls(parts=tuple(parts))

    def parameters(self) -> dict:
        return {"parts": [{"code": p.code, "text": p.text, "points": p.points,
                           "department": p.department, "rule": p.rule.describe()}
                          for p in self.parts]}  # fmt: skip

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        answers = entry.get("parts")
        if not isinstance(answers, Mapping):
            ctx.add("missing_value", "须逐个分项录入（parts）")
            return RuleScore()
        known = {p.code for p in self.parts}
        for code in answers:
            if str(code) not in known:
                ctx.add("unknown_part", f"没有代码为“{code}”的分项")
        total = ZERO
        reasons: list[str] = []
        for part in self.parts:
            child = ctx.child(f"{ctx.code}/{part.code}", part.points)
            sub = answers.get(part.code)
            if sub is None and not part.rule.optional:
                child.add("missing", f"分项“{part.text or part.code}”未录入")
                continue
            sub = sub or {}
            if not isinstance(sub, Mapping):
                child.add("bad_value", "分项录入须为映射")
                continue
            part.rule.check_entry_keys(sub, child)
            result = part.rule.score(sub, child)
            total += result.points
            label = part.text or part.code
            reasons.extend(f"{label}：{reason}" for reason in result.reasons)
        return RuleScore(points=total, reasons=tuple(reasons))

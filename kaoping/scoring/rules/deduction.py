"""deduction — the 扣分 / 扣分原因 columns (seed 001); "未落实的每项扣0.2分" (seed 004).

Each deduction is a free amount or, when the rule has a unit, a count × unit; every one carries its
reason, because the reasons become the organization's rectification list. Floor 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kaoping.scoring.numbers import ZERO, is_multiple

from .base import ParseContext, Rule, RuleScore, ScoreContext, fmt

__all__ = ["Deduction"]


@dataclass(frozen=True)
class Deduction(Rule):
    kind: ClassVar[str] = "deduction"
    entry_keys: ClassVar[frozenset[str]] = frozenset({"deductions"})
    optional: ClassVar[bool] = True
    unit: Decimal | None = None

    @classmethod
    def parse(cls, params, ctx: ParseContext) -> Deduction:
        ctx.check_keys(params, ("unit",))
        unit = ctx.points(params, "unit", what="每项扣分") if "unit" in params else None
        return cls(unit=unit)

    def parameters(self) -> dict:
        return {"unit": self.unit}

    def _amount(self, raw: dict, ctx: ScoreContext) -> Decimal | None:
        if "count" in raw and self.unit is not None:
            count = ctx.count(raw["count"], "扣分项数")
            return None if count is None else count * self.unit
        if "count" in raw:
            ctx.add("no_unit", "该项没有规定每项扣分，须直接填写扣分（amount）")
            return None
        if "amount" not in raw:
            ctx.add("missing_value", "扣分须填写 amount 或 count")
            return None
        amount = ctx.decimal(raw["amount"], "扣分")
        if amount is None:
            return None
        if amount <= 0:
            ctx.add("not_positive", f"扣分须大于0（现为{fmt(amount)}）")
            return None
        if not is_multiple(amount, ctx.step):
            ctx.add("off_step", f"扣分{fmt(amount)}不是步长{fmt(ctx.step)}的整数倍")
            return None
        return amount

    def score(self, entry, ctx: ScoreContext) -> RuleScore:
        items = entry.get("deductions", [])
        if not isinstance(items, list):
            ctx.add("bad_value", "deductions 须为列表")
            return RuleScore()
        total = ZERO
        reasons = []
        for raw in items:
            if not isinstance(raw, dict):
                ctx.add("bad_value", "每条扣分须为映射（amount/count 与 reason）")
                continue
            if not _KEYS.issuperset(raw):
                for key in raw:
                    if key not in _KEYS:
                        ctx.add("unknown_key", f"扣分含未知字段“{key}”")
            reason = raw.get("reason")
            reason = str(reason).strip() if reason else ""
            if not reason:
                ctx.add("missing_reason", "每条扣分须写明扣分原因")
            amount = raw.get("amount")
            known = _AMOUNTS.get((amount, ctx.step)) if type(amount) is str else None
            if known is not None and "count" not in raw:
                # a free amount already parsed and checked on this step: the same answer
                amount, text = known
            else:
                amount = self._amount(raw, ctx)
                if amount is None:
                    continue
                text = fmt(amount)
                if type(raw.get("amount")) is str and "count" not in raw:
                    _remember(raw["amount"], ctx.step, amount, text)
            total += amount
            reasons.append(f"扣{text}分：{reason}")
        return RuleScore(points=max(ctx.max_points - total, ZERO), reasons=tuple(reasons))


_KEYS = frozenset({"amount", "count", "reason"})
# Free amounts as typed ("0.5", "1") are few; their parsed, checked value and how it is written.
_AMOUNTS: dict[tuple[str, Decimal], tuple[Decimal, str]] = {}


def _remember(raw: str, step: Decimal, amount: Decimal, text: str) -> None:
    if len(_AMOUNTS) > 10_000:
        _AMOUNTS.clear()
    _AMOUNTS[(raw, step)] = (amount, text)

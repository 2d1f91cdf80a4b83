"""The rule kinds by name, and parsing of a `rule:` mapping into one of them."""

from __future__ import annotations

from collections.abc import Mapping

from .base import Effect, ParseContext, Rule
from .binary import Binary
from .bonus import Bonus
from .checklist import Checklist
from .custom_slots import CustomSlots
from .deduction import Deduction
from .graded_deduction import GradedDeduction
from .ledger import Ledger
from .major_deduction import MajorDeduction
from .parts import Parts
from .per_occurrence import PerOccurrence
from .qualitative import Qualitative
from .scale import Scale
from .tiered import Tiered
from .veto import Veto

__all__ = ["RULES", "parse_rule"]

RULES: dict[str, type[Rule]] = {
    cls.kind: cls
    for cls in (
        Scale,
        Binary,
        Checklist,
        Parts,
        Deduction,
        GradedDeduction,
        PerOccurrence,
        Tiered,
        Qualitative,
        Veto,
        MajorDeduction,
        Bonus,
        CustomSlots,
        Ledger,
    )
}

# Kinds that cannot sit inside a part or a custom slot: they need a whole item of their own.
_NOT_NESTABLE = {"parts", "custom_slots", "ledger", "qualitative"}


def parse_rule(raw: object, ctx: ParseContext, *, nested: bool = False) -> Rule:
    """Parse a `{kind: …, …params}` mapping; problems go to `ctx`, a Scale stands in on error."""
    if not isinstance(raw, Mapping) or "kind" not in raw:
        ctx.add("missing_rule", "缺少评分规则（rule.kind）")
        return Scale()
    kind = raw["kind"]
    cls = RULES.get(kind)
    if cls is None:
        known = "、".join(RULES)
        ctx.add("unknown_kind", f"未知的评分规则类型“{kind}”（可用：{known}）")
        return Scale()
    if nested and (cls.effect is not Effect.POINTS or kind in _NOT_NESTABLE):
        ctx.add("not_nestable", f"“{kind}”不能用于分项或个性指标之内")
        return Scale()
    params = {key: value for key, value in raw.items() if key != "kind"}
    return cls.parse(params, ctx)

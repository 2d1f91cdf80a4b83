"""What every rule kind is: parsed from rubric data once, then asked to score an entry.

A rule never raises on a bad entry: it adds a problem to the context and carries on, so one
`EntryError` can list everything a rater got wrong on a sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from kaoping.scoring.errors import Problems
from kaoping.scoring.numbers import ZERO, NumberError, is_multiple, parse_count, parse_decimal

__all__ = [
    "Effect",
    "ParseContext",
    "Rule",
    "RuleScore",
    "ScoreContext",
    "fmt",
]


def fmt(value: Decimal) -> str:
    """A Decimal as a person writes it on a sheet: 0.5, 3, 1.25 (no exponent, no trailing zeros)."""
    try:
        return format(value.normalize(), "f")
    except ArithmeticError:  # parse_decimal keeps scores small; this is a last resort
        return str(value)


class Effect(StrEnum):
    """How an item's rule acts on the sheet."""

    POINTS = "points"  # adds to its section
    VETO = "veto"  # forces the failing grade
    MAJOR = "major"  # subtracted from the total, charged to its section
    BONUS = "bonus"  # added to the total, under the rubric's bonus cap


@dataclass(frozen=True)
class RuleScore:
    """A rule's answer: `points` is the item score (POINTS), or the amount (BONUS, MAJOR)."""

    points: Decimal = ZERO
    reasons: tuple[str, ...] = ()
    level: str | None = None
    triggered: bool = False


@dataclass
class _Context:
    code: str
    problems: Problems

    def add(self, kind: str, message: str) -> None:
        self.problems.add(self.code, kind, message)

    def decimal(self, value: object, what: str) -> Decimal | None:
        try:
            return parse_decimal(value)
        except NumberError as err:
            self.add(err.code, f"{what}：{err.message}")
            return None


@dataclass
class ParseContext(_Context):
    """Where a rule is being parsed: the item's code, max points and step."""

    max_points: Decimal | None = None
    step: Decimal = Decimal("0.1")

    def check_keys(self, params: Mapping[str, Any], allowed: Sequence[str]) -> None:
        for key in params:
            if key not in allowed:
                self.add("unknown_key", f"评分规则含未知参数“{key}”")

    def points(self, params: Mapping[str, Any], key: str, *, what: str) -> Decimal | None:
        """A required positive decimal parameter that is a multiple of the item's step."""
        if key not in params:
            self.add("missing_key", f"缺少参数“{key}”（{what}）")
            return None
        value = self.decimal(params[key], what)
        if value is None:
            return None
        if value <= 0:
            self.add("not_positive", f"{what}须大于0（现为{fmt(value)}）")
        elif not is_multiple(value, self.step):
            self.add("off_step", f"{what}{fmt(value)}不是步长{fmt(self.step)}的整数倍")
        return value

    def coded_list(self, params: Mapping[str, Any], key: str, *, what: str) -> list[dict]:
        """A required non-empty list of mappings, each with a unique `code`."""
        raw = params.get(key)
        if not isinstance(raw, list) or not raw:
            self.add("missing_key", f"缺少{what}列表“{key}”")
            return []
        seen: set[str] = set()
        result = []
        for entry in raw:
            if not isinstance(entry, Mapping) or "code" not in entry:
                self.add("bad_list", f"{what}须为带 code 的映射")
                continue
            code = str(entry["code"])
            if code in seen:
                self.add("duplicate_code", f"{what}代码“{code}”重复")
            seen.add(code)
            result.append(dict(entry))
        return result

    def child(self, code: str, max_points: Decimal | None) -> ParseContext:
        return ParseContext(
            code=code, problems=self.problems, max_points=max_points, step=self.step
        )


@dataclass
class ScoreContext(_Context):
    """Where an entry is being scored: the item's code, max points, step, and written slots."""

    max_points: Decimal = ZERO
    step: Decimal = Decimal("0.1")
    slots: Sequence[Mapping[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def count(self, value: object, what: str) -> int | None:
        try:
            return parse_count(value)
        except NumberError as err:
            self.add(err.code, f"{what}：{err.message}")
            return None

    def child(self, code: str, max_points: Decimal) -> ScoreContext:
        return ScoreContext(
            code=code, problems=self.problems, max_points=max_points, step=self.step
        )


class Rule:
    """Base of the rule kinds. Subclasses are frozen dataclasses registered by `kind`."""

    kind: ClassVar[str]
    effect: ClassVar[Effect] = Effect.POINTS
    entry_keys: ClassVar[frozenset[str]] = frozenset()
    # A missing entry means "nothing happened" (full points, no veto, no bonus) — as on paper.
    optional: ClassVar[bool] = False
    # The rule needs an item max (POINTS kinds) or refuses one (adjustment kinds).
    needs_max: ClassVar[bool] = True

    @classmethod
    def parse(cls, params: Mapping[str, Any], ctx: ParseContext) -> Rule:
        raise NotImplementedError

    def implied_max(self) -> Decimal | None:
        """The max the rule's own data fixes (levels, slots), checked against the item's max."""
        return None

    def upper_bound(self, max_points: Decimal) -> Decimal | None:
        """Highest score an entry can reach; None when unbounded (a running ledger)."""
        return max_points

    def score(self, entry: Mapping[str, Any], ctx: ScoreContext) -> RuleScore:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """The rule's public shape as plain data (str, int, bool, Decimal, None, lists and dicts of
        them): what forms and sheet layouts read instead of the rule's fields.

        Always `kind`, `effect` ("points" | "veto" | "major" | "bonus"), `optional` (a missing entry
        means "nothing happened") and `entry_keys` (the keys an entry may carry), then the kind's
        parameters (`docs/rubric-format.md`, "Describing a rule")."""
        return {
            "kind": self.kind,
            "effect": self.effect.value,
            "optional": self.optional,
            "entry_keys": sorted(self.entry_keys),
            **self.parameters(),
        }

    def parameters(self) -> dict[str, Any]:
        """The kind's own parameters for `describe()`; none by default."""
        return {}

    def check_entry_keys(self, entry: Mapping[str, Any], ctx: ScoreContext, extra=()) -> None:
        for key in entry:
            if key not in self.entry_keys and key not in extra:
                ctx.add("unknown_key", f"录入含未知字段“{key}”")

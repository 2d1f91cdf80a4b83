"""What scoring returns: frozen results for an item, a section and a whole sheet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from decimal import Decimal
from typing import Any, TypeVar

from kaoping.scoring.numbers import ZERO

__all__ = ["ItemResult", "LostPoints", "SectionResult", "SheetResult"]


@dataclass(frozen=True)
class ItemResult:
    """One item scored. `score` counts toward its section (point kinds only); `amount` is a
    bonus or major deduction; `claimed` is what the entry gave before a falsification mark."""

    code: str
    section: str
    kind: str
    effect: str
    max_points: Decimal  # applicable max: 0 when not applicable or an adjustment kind
    score: Decimal = ZERO
    amount: Decimal = ZERO
    claimed: Decimal = ZERO
    triggered: bool = False
    level: str | None = None
    reasons: tuple[str, ...] = ()
    comment: str = ""
    not_applicable: bool = False
    falsified: bool = False
    missing: bool = False

    @property
    def lost(self) -> Decimal:
        """Points lost against the applicable max (never negative: an in-item bonus is not a
        loss the other way)."""
        return max(self.max_points - self.score, ZERO)


@dataclass(frozen=True)
class LostPoints:
    """One line of the rectification list: what was lost on which item, and why."""

    item: str
    section: str
    kind: str  # "points" | "falsified" | "major" | "veto"
    points: Decimal
    text: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SectionResult:
    code: str
    title: str
    points: Decimal  # the rubric's points for the section
    applicable_points: Decimal  # less the max of not-applicable items
    score: Decimal  # Σ item scores
    contribution: Decimal  # score × weight (= score when unweighted)
    major_deductions: Decimal  # charged to this section
    star: str | None = None  # the star's label, when the rubric gives one
    star_lit: bool = False


@dataclass(frozen=True)
class SheetResult:
    rubric_id: str
    items: Mapping[str, ItemResult]
    sections: tuple[SectionResult, ...]
    base_total: Decimal  # Σ section contributions
    bonus: Decimal  # after the rubric's bonus cap
    bonus_claimed: Decimal  # before the cap
    major_deductions: Decimal
    total: Decimal  # base_total + bonus − major_deductions, rounded as the rubric says
    full_marks: Decimal
    applicable_max: Decimal
    scaled_total: Decimal  # total with base_total scaled to full marks (not-applicable items)
    vetoes: tuple[str, ...]
    grade: str | None
    stars: tuple[str, ...]
    lost: tuple[LostPoints, ...]
    missing: tuple[str, ...] = ()

    def section(self, code: str) -> SectionResult:
        return next(s for s in self.sections if s.code == code)

    def section_scores(self) -> dict[str, Decimal]:
        return {s.code: s.score for s in self.sections}


_T = TypeVar("_T")


def field_defaults(cls: type) -> dict[str, Any]:
    """Every field of a result dataclass with its default (MISSING when it has none)."""
    return {f.name: f.default for f in fields(cls)}


def build(cls: type[_T], values: dict[str, Any]) -> _T:
    """Make a frozen result from a dict holding every one of its fields, without the generated
    `__init__` (one `object.__setattr__` per field): scoring makes tens of these per sheet. The
    object is the same as `cls(**values)`; `values` must name every field (checked in tests)."""
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


def checked_build(cls: type[_T], values: dict[str, Any]) -> _T:
    """`build` that first checks every field is given and none is MISSING (used by tests)."""
    names = set(field_defaults(cls))
    if set(values) != names or any(v is MISSING for v in values.values()):
        raise TypeError(f"{cls.__name__}: fields {sorted(names ^ set(values))} do not match")
    return build(cls, values)

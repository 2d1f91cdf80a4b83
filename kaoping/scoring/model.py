"""The rubric as frozen data: sections, groups, items with their rules, and outcome rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from kaoping.scoring.rules.base import Effect, Rule

__all__ = [
    "ORG_KINDS",
    "GradeBand",
    "Group",
    "Item",
    "ItemBonus",
    "Outcome",
    "Rubric",
    "Section",
    "StarRule",
]

# Organization kind codes, as defined by the org tree (kaoping.orgs).
ORG_KINDS: dict[str, str] = {
    "party_committee": "党委",
    "working_committee": "党工委",
    "general_branch": "党总支",
    "branch": "党支部",
    "organ_committee": "机关党委",
    "village": "村党组织",
    "community": "社区党组织",
    "private_enterprise": "非公企业党组织",
    "social_organization": "社会组织党组织",
}


@dataclass(frozen=True)
class ItemBonus:
    """A bonus inside an item with its own cap ("奖1分，封顶1分")."""

    unit: Decimal
    cap: Decimal
    text: str = ""


@dataclass(frozen=True)
class Item:
    code: str
    section: str
    text: str
    max_points: Decimal
    step: Decimal
    rule: Rule
    group: str | None = None
    standard: str = ""
    applies_to: frozenset[str] | None = None
    not_applicable_allowed: bool = False
    item_bonus: ItemBonus | None = None

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def effect(self) -> Effect:
        return self.rule.effect

    def applies(self, org_kind: str | None) -> bool:
        return org_kind is None or self.applies_to is None or org_kind in self.applies_to


@dataclass(frozen=True)
class Group:
    code: str
    title: str
    points: Decimal


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    points: Decimal
    items: tuple[Item, ...]
    groups: tuple[Group, ...] = ()
    weight: Decimal | None = None


@dataclass(frozen=True)
class GradeBand:
    label: str
    min_score: Decimal | None  # None: the "else" band at the bottom


@dataclass(frozen=True)
class StarRule:
    section: str
    label: str
    threshold: Decimal  # share of the section's applicable points


@dataclass(frozen=True)
class Outcome:
    grades: tuple[GradeBand, ...] = ()
    fail_grade: str | None = None
    stars: tuple[StarRule, ...] = ()
    stars_blocked_by_major_deduction: bool = True


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    issuer: str
    year: int
    version: int
    applies_to: frozenset[str]
    full_marks: Decimal
    sections: tuple[Section, ...]
    outcome: Outcome = field(default_factory=Outcome)
    step: Decimal = Decimal("0.1")
    bonus_cap: Decimal | None = None
    falsification_factor: Decimal = Decimal(2)
    rounding: int | None = 2
    source: str = ""
    items: MappingProxyType[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A read-only code → item index; sections keep the document's order.
        index: dict[str, Item] = {item.code: item for s in self.sections for item in s.items}
        object.__setattr__(self, "items", MappingProxyType(index))

    @property
    def weighted(self) -> bool:
        return any(section.weight is not None for section in self.sections)

    def section(self, code: str) -> Section:
        return next(s for s in self.sections if s.code == code)

    def describe(self) -> dict[str, Any]:
        """A short summary for listings (CLI `rubric list`, admin pages)."""
        return {
            "id": self.id,
            "title": self.title,
            "issuer": self.issuer,
            "year": self.year,
            "version": self.version,
            "full_marks": self.full_marks,
            "sections": len(self.sections),
            "items": len(self.items),
        }

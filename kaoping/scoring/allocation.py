"""Cross-review allocation (交叉互评): mixed groups of balanced size, each reviewing other groups.

Seed 003: 33 enterprises are mixed into 6 groups (5 or 6 each); each group's work team reviews
units of other groups. The core is pure and Django-free: units and raters are any hashable
keys, and recusal is a predicate supplied by the caller (`conflict(rater, unit) -> bool`), so
the org-tree rule (own organization, ancestors, descendants, optionally the same parent) stays
where the tree is.

Everything is deterministic given `seed` (`random.Random(seed)` and the input order), so a
proposal can be shown first, re-computed to verify, then applied.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Allocation",
    "AllocationError",
    "allocate_reviews",
    "check_review",
    "form_groups",
    "place_raters",
]

BALANCE_OPTIONS = ("none", "kind", "size")


class AllocationError(ValueError):
    """The allocation cannot be made; `problems` lists why (Chinese messages for users)."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Allocation:
    """Groups of units, the raters of each group, and which group reviews each unit."""

    groups: tuple[tuple[Hashable, ...], ...]
    raters: tuple[tuple[Hashable, ...], ...]
    reviewer: Mapping[Hashable, int]  # unit → index of the reviewing group
    seed: int
    unplaced: tuple[Hashable, ...] = field(default=())  # units no group may review

    def group_of(self, unit) -> int:
        for index, members in enumerate(self.groups):
            if unit in members:
                return index
        raise KeyError(unit)

    def reviewed_by(self, index: int) -> list:
        """The units group `index` reviews, in group order."""
        return [u for members in self.groups for u in members if self.reviewer.get(u) == index]

    def workload(self) -> dict:
        """Units to score per rater (each rater scores every unit their group reviews)."""
        load = {}
        for index, raters in enumerate(self.raters):
            count = len(self.reviewed_by(index))
            for rater in raters:
                load[rater] = load.get(rater, 0) + count
        return load


def _sizes(total: int, k: int) -> list[int]:
    base, extra = divmod(total, k)
    return [base + 1 if i < extra else base for i in range(k)]


def form_groups(
    units: Sequence[Hashable],
    k: int,
    *,
    seed: int,
    balance: str = "none",
    kinds: Mapping[Hashable, Hashable] | None = None,
    sizes: Mapping[Hashable, int] | None = None,
) -> list[list]:
    """Mix `units` into `k` groups whose sizes differ by at most one (33 → 6 groups of 5–6).

    balance="kind": each kind is spread evenly over the groups (dealt kind by kind);
    balance="size": units are dealt largest first in a snake order so group totals stay close;
    "none": a seeded shuffle dealt in turn. Deterministic from `seed` and the input order.
    """
    units = list(units)
    if balance not in BALANCE_OPTIONS:
        raise ValueError(f"unknown balance {balance!r}")
    if len(set(units)) != len(units):
        raise ValueError("units repeat")
    if k < 2 or len(units) < k:
        raise AllocationError([f"{len(units)} 个单位无法分成 {k} 个组（每组至少 1 个，至少 2 组）"])
    rng = random.Random(seed)
    order = units[:]
    rng.shuffle(order)
    if balance == "kind":
        kinds = kinds or {}
        first_seen = {}
        for unit in order:
            first_seen.setdefault(kinds.get(unit), len(first_seen))
        order.sort(key=lambda u: first_seen[kinds.get(u)])  # stable: shuffled within a kind
    elif balance == "size":
        sizes = sizes or {}
        order.sort(key=lambda u: -sizes.get(u, 0))
    capacity = _sizes(len(units), k)
    groups: list[list] = [[] for _ in range(k)]
    weight = [0] * k
    # Each unit goes to the open group with fewest of its kind, then the lightest total size,
    # then the fewest units: even kinds, close sizes, and plain turn-taking otherwise.
    for unit in order:
        kind = kinds.get(unit) if balance == "kind" else None

        def key(i, kind=kind):
            same = sum(kinds.get(u) == kind for u in groups[i]) if balance == "kind" else 0
            return (same, weight[i], len(groups[i]), i)

        target = min((i for i in range(k) if len(groups[i]) < capacity[i]), key=key)
        groups[target].append(unit)
        if balance == "size":
            weight[target] += sizes.get(unit, 0)
    return groups


def place_raters(
    groups: Sequence[Sequence[Hashable]],
    raters: Sequence[Hashable],
    *,
    home: Callable[[Hashable], Hashable | None],
) -> list[list]:
    """Put each rater in the group of their own unit (`home(rater)` → a unit or None), so the
    group's work team comes from its units; raters from no unit go to the group with fewest."""
    index = {unit: i for i, members in enumerate(groups) for unit in members}
    placed: list[list] = [[] for _ in groups]
    loose = []
    for rater in raters:
        unit = home(rater)
        if unit in index:
            placed[index[unit]].append(rater)
        else:
            loose.append(rater)
    for rater in loose:
        smallest = min(range(len(groups)), key=lambda i: (len(placed[i]), i))
        placed[smallest].append(rater)
    return placed


def check_review(
    unit,
    group: int,
    *,
    groups: Sequence[Sequence[Hashable]],
    raters: Sequence[Sequence[Hashable]],
    conflict: Callable[[Hashable, Hashable], bool] | None = None,
    label: Callable[[Hashable], str] = str,
) -> list[str]:
    """Why group `group` may not review `unit` (empty when it may): its own group, or a rater
    of that group in conflict with the unit. Used by the allocation and by manual moves."""
    problems = []
    if not 0 <= group < len(groups):
        return [f"第 {group + 1} 组不存在"]
    if unit in groups[group]:
        problems.append(f"第 {group + 1} 组不能评本组的 {label(unit)}")
    if conflict is not None:
        for rater in raters[group]:
            if conflict(rater, unit):
                problems.append(f"第 {group + 1} 组的 {label(rater)} 须回避 {label(unit)}")
    return problems


def allocate_reviews(
    groups: Sequence[Sequence[Hashable]],
    raters: Sequence[Sequence[Hashable]],
    *,
    seed: int,
    conflict: Callable[[Hashable, Hashable], bool] | None = None,
) -> Allocation:
    """Give every unit to one other group to review, balancing the number each group reviews.

    First choice is the cyclic pattern of seed 003 (group i reviews group i+1's units, with a
    seeded rotation); a unit that group may not review (recusal) goes to the eligible group
    with the lightest load, ties broken by the seeded generator. A unit no group may review is
    listed in `unplaced` rather than silently dropped."""
    k = len(groups)
    if k < 2 or len(raters) != k:
        raise ValueError("at least two groups, one rater list per group")
    rng = random.Random(seed)
    shift = rng.randrange(1, k)
    blocked = {}
    for index, members in enumerate(groups):
        for unit in members:
            blocked[unit] = {
                g
                for g in range(k)
                if g == index
                or (conflict is not None and any(conflict(r, unit) for r in raters[g]))
            }
    reviewer, load, unplaced = {}, [0] * k, []
    # Most constrained units first, so a unit with one possible group gets it.
    units = [u for members in groups for u in members]
    tiebreak = {u: rng.random() for u in units}
    units.sort(key=lambda u: (-len(blocked[u]), tiebreak[u]))
    target = -(-len(units) // k)
    for unit in units:
        own = next(i for i, members in enumerate(groups) if unit in members)
        first = (own + shift) % k
        allowed = [g for g in range(k) if g not in blocked[unit]]
        if not allowed:
            unplaced.append(unit)
            continue
        if first in allowed and load[first] < target:
            choice = first
        else:
            choice = min(allowed, key=lambda g: (load[g], rng.random()))
        reviewer[unit] = choice
        load[choice] += 1
    return Allocation(
        groups=tuple(tuple(g) for g in groups),
        raters=tuple(tuple(r) for r in raters),
        reviewer=reviewer,
        seed=seed,
        unplaced=tuple(unplaced),
    )

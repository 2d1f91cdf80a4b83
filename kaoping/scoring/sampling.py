"""Random sampling (双随机): draw organizations and inspectors from a recorded seed.

A draw takes a share (rounded UP: "at least 20 %" of 101 branches is 21) or a number of units,
optionally stratified by parent (each parent's share rounded up on its own), then gives each
drawn unit at least `per_unit` inspectors (two by default) from a pool, skipping those the
caller's `conflict(inspector, unit)` predicate recuses and spreading the load evenly.

Reproducible: `random.Random(seed)` over the inputs in the order given; the result carries its
inputs, so anyone can re-run `draw_units` / `draw_inspectors` from the record and compare.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from kaoping.scoring.ranking import quota

__all__ = ["InspectorDraw", "UnitDraw", "draw_inspectors", "draw_units"]


@dataclass(frozen=True)
class UnitDraw:
    """Drawn units (in input order) with everything needed to re-run the draw."""

    seed: int
    units: tuple[Hashable, ...]
    share: str | None
    count: int | None
    strata: Mapping[Hashable, Hashable] | None
    drawn: tuple[Hashable, ...]
    per_stratum: Mapping[Hashable, tuple[int, int]] = field(default_factory=dict)  # drawn, size


@dataclass(frozen=True)
class InspectorDraw:
    """Inspectors per drawn unit, their load, and units left short of `per_unit`."""

    seed: int
    units: tuple[Hashable, ...]
    pool: tuple[Hashable, ...]
    per_unit: int
    inspectors: Mapping[Hashable, tuple[Hashable, ...]]
    short: tuple[Hashable, ...] = ()

    def load(self) -> dict:
        counts = {p: 0 for p in self.pool}
        for chosen in self.inspectors.values():
            for person in chosen:
                counts[person] += 1
        return counts


def _how_many(size: int, share, count: int | None) -> int:
    if share is not None:
        return quota(size, share, rounding="ceil")
    return min(count, size)


def _split_count(count: int, sizes: dict) -> dict:
    """`count` spread over strata in proportion to their sizes (largest remainder, then input
    order), never more than a stratum holds."""
    total = sum(sizes.values())
    exact = {s: count * n / total for s, n in sizes.items()}
    parts = {s: min(int(exact[s]), n) for s, n in sizes.items()}
    order = sorted(sizes, key=lambda s: -(exact[s] - int(exact[s])))
    while sum(parts.values()) < count:
        for stratum in order:
            if sum(parts.values()) < count and parts[stratum] < sizes[stratum]:
                parts[stratum] += 1
    return parts


def draw_units(
    units: Sequence[Hashable],
    *,
    seed: int,
    share: object = None,
    count: int | None = None,
    strata: Mapping[Hashable, Hashable] | None = None,
) -> UnitDraw:
    """Draw `share` (rounded up) or `count` of `units`; with `strata` (unit → parent) each
    parent's units are drawn separately (a share per parent rounded up; a count split in
    proportion). Deterministic from `seed` and the order of `units`."""
    units = list(units)
    if (share is None) == (count is None):
        raise ValueError("give a share or a count, not both")
    if count is not None and count < 0:
        raise ValueError("a count is not negative")
    if len(set(units)) != len(units):
        raise ValueError("units repeat")
    rng = random.Random(seed)
    groups: dict = {}
    for unit in units:
        groups.setdefault(strata.get(unit) if strata is not None else None, []).append(unit)
    sizes = {s: len(members) for s, members in groups.items()}
    if strata is not None and count is not None and units:
        wanted = _split_count(min(count, len(units)), sizes)
    else:
        wanted = {s: _how_many(n, share, count) for s, n in sizes.items()}
    chosen, per_stratum = set(), {}
    for stratum, members in groups.items():
        picked = rng.sample(members, wanted[stratum])
        chosen.update(picked)
        per_stratum[stratum] = (len(picked), len(members))
    return UnitDraw(
        seed=seed,
        units=tuple(units),
        share=None if share is None else str(share),
        count=count,
        strata=dict(strata) if strata is not None else None,
        drawn=tuple(u for u in units if u in chosen),
        per_stratum=per_stratum if strata is not None else {},
    )


def draw_inspectors(
    units: Sequence[Hashable],
    pool: Sequence[Hashable],
    *,
    seed: int,
    per_unit: int = 2,
    conflict: Callable[[Hashable, Hashable], bool] | None = None,
) -> InspectorDraw:
    """Give each unit `per_unit` (at least two) inspectors from `pool`, none recused by
    `conflict`, no one twice on a unit, the lightest-loaded first (seeded tie-break). A unit
    with too few eligible inspectors gets those there are and is listed in `short`."""
    if per_unit < 2:
        raise ValueError("at least two inspectors per organization")
    pool = list(pool)
    if len(set(pool)) != len(pool):
        raise ValueError("inspectors repeat")
    rng = random.Random(seed)
    load = {p: 0 for p in pool}
    result, short = {}, []
    for unit in units:
        eligible = [p for p in pool if conflict is None or not conflict(p, unit)]
        tiebreak = {p: rng.random() for p in eligible}
        eligible.sort(key=lambda p: (load[p], tiebreak[p]))
        chosen = eligible[:per_unit]
        for person in chosen:
            load[person] += 1
        result[unit] = tuple(chosen)
        if len(chosen) < per_unit:
            short.append(unit)
    return InspectorDraw(
        seed=seed,
        units=tuple(units),
        pool=tuple(pool),
        per_unit=per_unit,
        inspectors=result,
        short=tuple(short),
    )

"""Cross-review allocation in the pure core: balanced groups, no self-review, recusal."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.scoring import (
    AllocationError,
    allocate_reviews,
    check_review,
    form_groups,
    place_raters,
)


def test_33_units_make_6_groups_of_5_or_6():
    groups = form_groups(list(range(33)), 6, seed=7)
    assert sorted(len(g) for g in groups) == [5, 5, 5, 6, 6, 6]
    assert sorted(u for g in groups for u in g) == list(range(33))


def test_groups_are_deterministic_from_the_seed():
    assert form_groups(list(range(33)), 6, seed=1) == form_groups(list(range(33)), 6, seed=1)
    assert form_groups(list(range(33)), 6, seed=1) != form_groups(list(range(33)), 6, seed=2)


def test_balance_by_kind_spreads_each_kind():
    kinds = {u: ("central" if u < 12 else "provincial") for u in range(33)}
    groups = form_groups(list(range(33)), 6, seed=3, balance="kind", kinds=kinds)
    for group in groups:
        assert sum(kinds[u] == "central" for u in group) == 2


def test_balance_by_size_keeps_totals_close():
    sizes = {u: u * 10 for u in range(30)}
    groups = form_groups(list(range(30)), 6, seed=3, balance="size", sizes=sizes)
    totals = [sum(sizes[u] for u in g) for g in groups]
    assert max(totals) - min(totals) <= 290  # one step of the largest unit at most


def test_too_few_units_is_refused():
    with pytest.raises(AllocationError):
        form_groups([1, 2], 3, seed=0)


def test_every_unit_reviewed_by_another_group_with_even_load():
    groups = form_groups(list(range(33)), 6, seed=5)
    raters = [[f"r{i}a", f"r{i}b"] for i in range(6)]
    allocation = allocate_reviews(groups, raters, seed=5)
    assert set(allocation.reviewer) == set(range(33))
    for unit, group in allocation.reviewer.items():
        assert unit not in groups[group]
    loads = [len(allocation.reviewed_by(i)) for i in range(6)]
    assert max(loads) - min(loads) <= 1
    assert allocation.workload()["r0a"] == loads[0]


def test_place_raters_follows_their_unit():
    groups = [[1, 2], [3, 4]]
    placed = place_raters(groups, ["a", "b", "c"], home={"a": 3, "b": 1}.get)
    assert placed == [["b", "c"], ["a"]]


def test_check_review_names_self_and_conflict():
    groups, raters = [[1], [2]], [["a"], ["b"]]
    assert check_review(1, 0, groups=groups, raters=raters) == ["第 1 组不能评本组的 1"]
    problems = check_review(1, 1, groups=groups, raters=raters, conflict=lambda r, u: r == "b")
    assert problems == ["第 2 组的 b 须回避 1"]
    assert check_review(1, 1, groups=groups, raters=raters) == []


# ---------------------------------------------------------------- property: random trees


@st.composite
def trees(draw):
    """A random org tree (parent per node), units among its nodes, raters homed in nodes."""
    size = draw(st.integers(min_value=8, max_value=40))
    parents = {0: None}
    for node in range(1, size):
        parents[node] = draw(st.integers(min_value=0, max_value=node - 1))
    units = draw(st.lists(st.integers(1, size - 1), min_size=6, max_size=size, unique=True))
    homes = draw(st.lists(st.sampled_from(sorted(units)), min_size=4, max_size=12))
    return parents, units, homes


def ancestors(parents, node):
    out = []
    while parents[node] is not None:
        node = parents[node]
        out.append(node)
    return out


@settings(max_examples=60, deadline=None)
@given(trees(), st.integers(2, 6), st.integers(0, 2**32))
def test_allocation_respects_recusal_over_random_trees(tree, k, seed):
    parents, units, homes = tree
    k = min(k, len(units))
    raters = [f"p{i}" for i in range(len(homes))]
    home = dict(zip(raters, homes, strict=True))

    def conflict(rater, unit):
        own = home[rater]
        return own == unit or own in ancestors(parents, unit) or unit in ancestors(parents, own)

    groups = form_groups(units, k, seed=seed)
    assert max(map(len, groups)) - min(map(len, groups)) <= 1
    team = place_raters(groups, raters, home=home.get)
    allocation = allocate_reviews(groups, team, seed=seed, conflict=conflict)
    for unit in units:
        if unit in allocation.unplaced:
            # Only when truly no group may review it.
            assert all(check_review(unit, g, groups=groups, raters=team, conflict=conflict)
                       for g in range(k))  # fmt: skip
            continue
        group = allocation.reviewer[unit]
        assert unit not in groups[group]
        assert not any(conflict(r, unit) for r in team[group])
    assert set(allocation.reviewer) | set(allocation.unplaced) == set(units)
    assert allocation == allocate_reviews(groups, team, seed=seed, conflict=conflict)

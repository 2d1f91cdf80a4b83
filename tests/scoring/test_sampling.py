"""Random sampling in the pure core: share rounded up, seeded, stratified, inspectors."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.scoring import draw_inspectors, draw_units

BRANCHES = [f"branch-{i:03}" for i in range(101)]


def test_twenty_percent_of_101_is_21_and_the_same_21_from_the_same_seed():
    first = draw_units(BRANCHES, share="0.2", seed=20260331)
    again = draw_units(BRANCHES, share="0.2", seed=20260331)
    assert len(first.drawn) == 21
    assert first.drawn == again.drawn
    assert draw_units(BRANCHES, share="0.2", seed=1).drawn != first.drawn
    assert first.units == tuple(BRANCHES) and first.share == "0.2" and first.seed == 20260331


def test_a_count_draws_that_many():
    assert len(draw_units(BRANCHES, count=10, seed=3).drawn) == 10
    assert len(draw_units(BRANCHES[:4], count=10, seed=3).drawn) == 4


def test_stratified_share_rounds_up_per_parent():
    strata = {b: ("east" if i < 11 else "west") for i, b in enumerate(BRANCHES)}
    draw = draw_units(BRANCHES, share="0.1", seed=5, strata=strata)
    assert draw.per_stratum == {"east": (2, 11), "west": (9, 90)}
    assert len(draw.drawn) == 11


def test_stratified_count_splits_in_proportion():
    strata = {b: ("east" if i < 50 else "west") for i, b in enumerate(BRANCHES)}
    draw = draw_units(BRANCHES, count=10, seed=5, strata=strata)
    assert sum(n for n, _ in draw.per_stratum.values()) == 10
    assert draw.per_stratum["east"][0] == 5


def test_share_or_count_not_both():
    with pytest.raises(ValueError):
        draw_units(BRANCHES, share="0.2", count=3, seed=1)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 300), st.integers(1, 100), st.integers(0, 2**40))
def test_share_is_at_least_the_share(size, percent, seed):
    units = list(range(size))
    draw = draw_units(units, share=f"{percent / 100}", seed=seed)
    assert len(draw.drawn) * 100 >= size * percent
    assert (len(draw.drawn) - 1) * 100 < size * percent or not draw.drawn
    assert draw == draw_units(units, share=f"{percent / 100}", seed=seed)


def test_inspectors_two_each_with_recusal_and_even_load():
    units = ["a", "b", "c", "d"]
    pool = ["x", "y", "z", "w"]
    draw = draw_inspectors(units, pool, seed=9, conflict=lambda p, u: (p, u) == ("x", "a"))
    assert all(len(v) == 2 and len(set(v)) == 2 for v in draw.inspectors.values())
    assert "x" not in draw.inspectors["a"]
    assert set(draw.load().values()) == {2}
    assert draw == draw_inspectors(units, pool, seed=9, conflict=lambda p, u: (p, u) == ("x", "a"))


def test_inspectors_short_when_too_few_eligible():
    draw = draw_inspectors(["a"], ["x", "y"], seed=1, conflict=lambda p, u: p == "x")
    assert draw.inspectors["a"] == ("y",) and draw.short == ("a",)
    with pytest.raises(ValueError):
        draw_inspectors(["a"], ["x", "y"], seed=1, per_unit=1)

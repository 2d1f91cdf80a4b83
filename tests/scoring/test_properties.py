"""Properties that must hold for any entries: bounds, totals, order independence, no floats."""

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.scoring import aggregate_scores, parse_rubric, rank, score_sheet
from kaoping.scoring.results import SheetResult

from .conftest import rubric_mapping

ITEMS = [
    {"code": "1.1", "text": "a", "max": 4, "step": "0.5", "rule": {"kind": "scale"}},
    {"code": "1.2", "text": "b", "max": 2, "rule": {"kind": "per_occurrence", "unit": 1}},
    {"code": "1.3", "text": "c", "max": 6, "rule": {"kind": "graded_deduction", "categories": [
        {"code": "p", "label": "主要领导", "unit": 1}, {"code": "m", "label": "其他党员", "unit": "0.5"}]}},
    {"code": "1.4", "text": "d", "max": 3, "rule": {"kind": "deduction"}},
    {"code": "1.5", "text": "e", "rule": {"kind": "major_deduction", "min": 5, "max": 10}},
    {"code": "1.6", "text": "f", "rule": {"kind": "bonus", "levels": [
        {"code": "c", "label": "中央", "points": 3}, {"code": "s", "label": "市委", "points": 1}],
        "modifiers": [{"code": "h", "label": "减半", "factor": "0.5"}]}},
]  # fmt: skip
RUBRIC = parse_rubric(rubric_mapping(ITEMS, points=15, bonus_cap=4))

tenths = st.integers(min_value=1, max_value=40).map(lambda n: str(Decimal(n) / 10))
entries = st.fixed_dictionaries({
    "1.1": st.integers(0, 8).map(lambda n: {"score": str(Decimal(n) / 2)}),
    "1.2": st.integers(0, 9).map(lambda n: {"count": n}),
    "1.3": st.fixed_dictionaries({"counts": st.fixed_dictionaries({"p": st.integers(0, 9),
                                                                   "m": st.integers(0, 9)})}),
    "1.4": st.lists(tenths, max_size=4).map(
        lambda xs: {"deductions": [{"amount": x, "reason": "r"} for x in xs]}),
    "1.5": st.lists(st.integers(5, 10), max_size=2).map(
        lambda xs: {"occurrences": [{"amount": x} for x in xs]}),
    "1.6": st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from("cs"), st.booleans()),
                    max_size=4).map(lambda xs: {"events": [
                        {"project": p, "level": lv, **({"modifier": "h"} if h else {})}
                        for p, lv, h in xs]}),
})  # fmt: skip


def _walk(value):
    if isinstance(value, SheetResult):
        value = vars(value)
    if isinstance(value, dict) or (hasattr(value, "items") and not isinstance(value, str)):
        for v in dict(value).values():
            yield from _walk(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk(v)
    elif hasattr(value, "__dataclass_fields__"):
        yield from _walk(vars(value))
    else:
        yield value


@settings(max_examples=200, deadline=None)
@given(entries)
def test_property_item_scores_stay_within_bounds(sheet_entries):
    sheet = score_sheet(RUBRIC, sheet_entries)
    for result in sheet.items.values():
        assert Decimal(0) <= result.score <= RUBRIC.items[result.code].max_points


@settings(max_examples=200, deadline=None)
@given(entries)
def test_property_total_is_parts_plus_bonus_minus_deductions(sheet_entries):
    sheet = score_sheet(RUBRIC, sheet_entries)
    parts = sum((r.score for r in sheet.items.values()), Decimal(0))
    assert sheet.total == parts + min(sheet.bonus_claimed, Decimal(4)) - sheet.major_deductions


@settings(max_examples=100, deadline=None)
@given(entries)
def test_property_no_float_anywhere_in_results(sheet_entries):
    sheet = score_sheet(RUBRIC, sheet_entries)
    assert not any(isinstance(v, float) for v in _walk(sheet))


scores = st.lists(st.integers(-1000, 10000).map(lambda n: Decimal(n) / 100), min_size=1, max_size=9)


@given(scores, st.randoms(use_true_random=False), st.sampled_from(["mean", "trimmed", "median"]))
def test_property_aggregation_is_order_independent(values, rnd, method):
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert aggregate_scores(values, method=method) == aggregate_scores(shuffled, method=method)


@given(scores, st.booleans())
def test_property_ranking_is_consistent_with_sorting(values, dense):
    ranks = rank(values, dense=dense)
    for a, ra in zip(values, ranks, strict=True):
        for b, rb in zip(values, ranks, strict=True):
            assert (a > b) == (ra < rb)
    if not dense:
        assert all(r == 1 + sum(v > a for v in values) for a, r in zip(values, ranks, strict=True))
    assert not any(isinstance(r, (float, np.floating)) for r in ranks)

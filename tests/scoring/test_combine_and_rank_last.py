"""Stages combined by the core (grade, vetoes, stars) and vetoed organizations ranked last."""

from decimal import Decimal

import pytest

from kaoping.scoring import (
    aggregate_sheets,
    combine_stage_aggregates,
    combine_stages,
    parse_rubric,
    rank,
    score_sheet,
)

RUBRIC = {
    "id": "t", "title": "测试", "issuer": "测试", "year": 2026, "version": 1,
    "applies_to": ["branch"], "full_marks": "10",
    "sections": [{"code": "1", "title": "一", "points": "10", "items": [
        {"code": "1.1", "text": "甲", "max": "10", "rule": {"kind": "scale"}},
        {"code": "1.M", "text": "重扣", "rule": {"kind": "major_deduction", "min": 1, "max": 5}},
        {"code": "1.V", "text": "否决", "rule": {"kind": "veto"}},
    ]}],
    "outcome": {"grades": [{"label": "好", "min": 6}, {"label": "差"}],
                "stars": [{"section": "1", "label": "星", "threshold": "0.8"}]},
}  # fmt: skip


@pytest.fixture
def rubric():
    return parse_rubric(RUBRIC)


def stage(rubric, *entries, method="mean"):
    return aggregate_sheets([score_sheet(rubric, e) for e in entries], rubric=rubric,
                            method=method)  # fmt: skip


def test_weighted_combination(rubric):
    a = stage(rubric, {"1.1": {"score": "10"}})
    b = stage(rubric, {"1.1": {"score": "7"}}, {"1.1": {"score": "8"}})
    combined = combine_stage_aggregates([a, b], rubric=rubric, weights=["0.4", "0.6"])
    assert (
        combined.total == combine_stages(["10", "7.5"], weights=["0.4", "0.6"]) == Decimal("8.50")
    )
    assert combined.sections == {"1": Decimal("8.50")}
    assert (combined.grade, combined.stars, combined.vetoes, combined.rater_count) == (
        "好", ("星",), (), 3
    )  # fmt: skip


def test_a_veto_or_major_deduction_of_one_stage_counts(rubric):
    a = stage(rubric, {"1.1": {"score": "10"}, "1.V": {"triggered": True}})
    b = stage(rubric, {"1.1": {"score": "10"}, "1.M": {"occurrences": [{"amount": "1"}]}})
    combined = combine_stage_aggregates([a, b], rubric=rubric, weights=["0.5", "0.5"])
    assert combined.vetoes == ("1.V",) and combined.grade == "差"
    assert combined.stars == ()  # the major deduction of stage b blocks the star


def test_override_takes_the_last_stage_whole(rubric):
    a = stage(rubric, {"1.1": {"score": "2"}})
    b = stage(rubric, {"1.1": {"score": "9"}})
    combined = combine_stage_aggregates([a, b], rubric=rubric, mode="override")
    assert (combined.total, combined.grade, combined.stars) == (Decimal("9.00"), "好", ("星",))


def test_bad_weights_are_refused(rubric):
    a = stage(rubric, {"1.1": {"score": "2"}})
    with pytest.raises(ValueError):
        combine_stage_aggregates([a, a], rubric=rubric, weights=["0.5", "0.6"])


def test_rank_last_puts_marked_values_after_the_others():
    assert rank(["100", "60", "99", "100"], last=[True, False, False, True]) == [3, 2, 1, 3]
    assert rank(["100", "60"], last=[True, False], scopes=["a", "b"]) == [1, 1]
    assert rank(["1", "2"], last=[True, False], descending=False) == [2, 1]
    with pytest.raises(ValueError):
        rank(["1"], last=[True, False])

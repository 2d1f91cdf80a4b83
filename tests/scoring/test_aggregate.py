from decimal import Decimal

import numpy as np
import pytest

from kaoping.scoring import aggregate_fixed, aggregate_scores, combine_stages, from_fixed, to_fixed


def test_aggregate_trimmed_mean_drops_highest_and_lowest():
    result = aggregate_scores(["92.5", "88", "95", "71", "90"], method="trimmed")
    # drop 95 and 71: (92.5 + 88 + 90) / 3 = 90.1666… → 90.17
    assert (result.value, result.dropped) == (Decimal("90.17"), (Decimal(71), Decimal(95)))


def test_aggregate_trimmed_with_too_few_raters_falls_back_to_mean_and_says_so():
    result = aggregate_scores(["90", "81"], method="trimmed")
    assert (result.value, result.method_used.value) == (Decimal("85.50"), "mean")
    assert result.note == "评分人2人，不足3人，未去掉最高分和最低分，按算术平均"


def test_aggregate_median_even_count():
    assert aggregate_scores(["80", "90", "85", "70"], method="median").value == Decimal("82.50")


def test_aggregate_fixed_matches_decimal_functions():
    rows = [["92.5", "88", "95"], ["71", "90", "90.01"], ["-3", "0", "1"]]
    matrix = np.stack([to_fixed(r, places=2) for r in rows])
    for method in ("mean", "trimmed", "median"):
        values, _ = aggregate_fixed(matrix, method=method)
        expected = [aggregate_scores(r, method=method).value for r in rows]
        assert from_fixed(values, places=2) == expected


def test_aggregate_fixed_with_absent_raters():
    matrix = to_fixed(["90", "80", "0", "70", "60", "50"], places=2).reshape(2, 3)
    values, fell_back = aggregate_fixed(matrix, method="trimmed", counts=np.array([2, 3]))
    assert (from_fixed(values, places=2), fell_back.tolist()) == (
        [Decimal("85"), Decimal("60")],
        [True, False],
    )


def test_to_fixed_refuses_to_round():
    with pytest.raises(ValueError):
        to_fixed(["1.005"], places=2)


def test_combine_stages_weighted_and_override():
    assert combine_stages(["80", "90"], weights=["0.3", "0.7"]) == Decimal("87.00")
    assert combine_stages(["80", None, "75"], mode="override") == Decimal("75.00")


# --- sheets of one organization: vetoes, grade and stars are the engine's policy ---------------

STARRED = [
    {"code": "A", "text": "酌情打分", "max": 10, "rule": {"kind": "scale"}},
    {"code": "V", "text": "反向指标", "rule": {"kind": "veto"}},
    {"code": "M", "text": "重扣分项", "rule": {"kind": "major_deduction", "min": 1, "max": 3}},
]
OUTCOME = {
    "grades": [{"label": "达标", "min": 6}, {"label": "不达标"}],
    "fail_grade": "不达标",
    "stars": [{"section": "1", "label": "红星", "threshold": "0.8"}],
}


@pytest.fixture
def starred(make_rubric):
    return make_rubric(STARRED, outcome=OUTCOME)


def _sheet(rubric, score, *, veto=False, major=None):
    from kaoping.scoring import score_sheet

    entries = {"A": {"score": str(score)}}
    if veto:
        entries["V"] = {"triggered": True, "note": "发生违纪"}
    if major is not None:
        entries["M"] = {"occurrences": [{"amount": str(major)}]}
    return score_sheet(rubric, entries)


def test_a_veto_on_one_raters_sheet_fails_the_aggregate(starred):
    from kaoping.scoring import aggregate_sheets

    sheets = [_sheet(starred, 10), _sheet(starred, 10, veto=True), _sheet(starred, 9)]
    # two of three raters saw nothing, yet the veto one rater found is a fact, not a vote
    assert [s.grade for s in sheets] == ["达标", "不达标", "达标"]
    result = aggregate_sheets(sheets, rubric=starred, raters=["甲", "乙", "丙"])
    assert result.total.value == Decimal("9.67")
    assert result.grade == "不达标" and result.vetoed
    (veto,) = result.vetoes
    assert (veto.code, veto.sheets, veto.raters) == ("V", (1,), ("乙",))


def test_aggregate_without_vetoes_is_graded_on_the_aggregated_total(starred):
    from kaoping.scoring import aggregate_sheets

    sheets = [_sheet(starred, 6), _sheet(starred, 5), _sheet(starred, "6.5")]
    result = aggregate_sheets(sheets, rubric=starred, method="median")
    assert (result.total.value, result.grade, result.vetoes) == (Decimal("6.00"), "达标", ())
    # without a rubric there is no outcome to apply, but the vetoes are still collected
    bare = aggregate_sheets([*sheets, _sheet(starred, 6, veto=True)])
    assert (bare.grade, bare.veto_codes(), bare.vetoes[0].raters) == (None, ("V",), ("4",))


def test_aggregate_star_needs_the_threshold_and_no_raters_major_deduction(starred):
    from kaoping.scoring import aggregate_sheets

    lit = aggregate_sheets([_sheet(starred, 9), _sheet(starred, 7)], rubric=starred)
    assert (lit.sections["1"].value, lit.stars) == (Decimal("8.00"), ("红星",))
    short = aggregate_sheets([_sheet(starred, 9), _sheet(starred, "6.9")], rubric=starred)
    assert short.stars == ()
    blocked = aggregate_sheets([_sheet(starred, 10), _sheet(starred, 10, major=1)], rubric=starred)
    assert (blocked.stars, blocked.major_sections) == ((), ("1",))
    # the major deduction still counts in the total as averaged: (10 + 9) / 2
    assert blocked.total.value == Decimal("9.50")


def test_aggregate_refuses_sheets_of_another_rubric(starred, make_rubric):
    from kaoping.scoring import aggregate_sheets

    other = make_rubric(STARRED, outcome=OUTCOME, id="other")
    with pytest.raises(ValueError):
        aggregate_sheets([_sheet(starred, 9), _sheet(other, 9)], rubric=starred)
    with pytest.raises(ValueError):
        aggregate_sheets([_sheet(starred, 9)], rubric=starred, raters=["甲", "乙"])

"""The vectorized grade and star rules give exactly what grade_for and star_lit give."""

from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kaoping.scoring.model import GradeBand, Outcome, StarRule
from kaoping.scoring.outcome import FINE_PLACES, grade_for, grades_array, star_lit, stars_array

OUTCOME = Outcome(
    grades=(
        GradeBand(label="好", min_score=Decimal("90")),
        GradeBand(label="较好", min_score=Decimal("80.005")),
        GradeBand(label="一般", min_score=Decimal("60")),
        GradeBand(label="差", min_score=None),
    ),
    fail_grade="差",
    stars=(
        StarRule(section="A", label="甲星", threshold=Decimal("0.9")),
        StarRule(section="B", label="乙星", threshold=Decimal("0.333333")),
    ),
)
CODES = ["A", "B"]
# Scores as integers in units of 10^-6, the way the fast path holds them.
units = st.integers(min_value=0, max_value=120 * 10**FINE_PLACES)


def _decimal(value: int) -> Decimal:
    return Decimal(int(value)).scaleb(-FINE_PLACES)


@given(st.lists(st.tuples(units, st.booleans()), min_size=1, max_size=30))
def test_grades_array_is_grade_for(rows):
    totals = np.array([t for t, _ in rows], dtype=np.int64)
    vetoed = np.array([v for _, v in rows], dtype=bool)
    expected = [grade_for(OUTCOME, _decimal(t), vetoed=v) for t, v in rows]
    assert list(grades_array(OUTCOME, totals, vetoed)) == expected


def test_grade_bands_meet_exactly_at_their_minimum():
    totals = np.array([90 * 10**6, 90 * 10**6 - 1, 80_005_000, 80_004_999], dtype=np.int64)
    grades = grades_array(OUTCOME, totals, np.zeros(4, dtype=bool))
    assert list(grades) == ["好", "较好", "较好", "一般"]


@given(
    st.lists(
        st.tuples(units, units, st.integers(0, 10**7), units, units, st.integers(0, 10**7)),
        min_size=1,
        max_size=20,
    ),
    st.booleans(),
)
def test_stars_array_is_star_lit(rows, blocked):
    outcome = Outcome(stars=OUTCOME.stars, stars_blocked_by_major_deduction=blocked)
    sections = np.array([[r[0], r[3]] for r in rows], dtype=np.int64)
    points = np.array([[r[1], r[4]] for r in rows], dtype=np.int64)
    majors = np.array([[r[2], r[5]] for r in rows], dtype=np.int64)
    expected = [
        tuple(
            star.label
            for k, star in enumerate(outcome.stars)
            if star_lit(
                star,
                score=_decimal(sections[i, k]),
                points=_decimal(points[i, k]),
                major=_decimal(majors[i, k]),
                blocked=blocked,
            )
        )
        for i in range(len(rows))
    ]
    assert stars_array(outcome, CODES, sections, points, majors) == expected

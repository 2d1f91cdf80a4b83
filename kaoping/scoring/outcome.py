"""Outcome rules: grades by score thresholds (vetoes force the failing grade), stars per section."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np

from kaoping.scoring.errors import Problems
from kaoping.scoring.model import GradeBand, Outcome, Section, StarRule
from kaoping.scoring.numbers import ZERO, NumberError, parse_decimal

__all__ = ["FINE_PLACES", "grade_for", "grades_array", "parse_outcome", "star_lit", "stars_array"]

# Decimals every stored score fits in (parse_decimal refuses more): the vectorized rules below
# compare integers in units of 10^-FINE_PLACES, exactly.
FINE_PLACES = 6

_OUTCOME = "outcome"


def grade_for(outcome: Outcome, score: Decimal, *, vetoed: bool = False) -> str | None:
    """The grade for `score`: the first band whose min it reaches; a veto gives the fail grade."""
    if not outcome.grades:
        return None
    if vetoed:
        return outcome.fail_grade or outcome.grades[-1].label
    for band in outcome.grades:
        if band.min_score is None or score >= band.min_score:
            return band.label
    return outcome.grades[-1].label


def star_lit(
    rule: StarRule, *, score: Decimal, points: Decimal, major: Decimal, blocked: bool
) -> bool:
    """A star is lit when the section reaches its threshold share and, if so ruled, had no
    major deduction. A section with no applicable points lights nothing."""
    if points <= 0 or (blocked and major > 0):
        return False
    return score >= rule.threshold * points


def grades_array(outcome: Outcome, totals: np.ndarray, vetoed: np.ndarray) -> np.ndarray:
    """`grade_for` for many totals at once; `totals` are integers in units of 10^-FINE_PLACES.
    Returns an object array of labels ("" when the rubric has no grades)."""
    if not outcome.grades:
        return np.full(len(totals), "", dtype=object)
    labels = [band.label for band in outcome.grades]
    index = np.full(len(totals), len(labels) - 1, dtype=np.int64)
    exact = np.asarray(totals).astype(object)  # Python integers: no overflow whatever the band
    for n in reversed(range(len(labels))):
        band = outcome.grades[n]
        if band.min_score is None:
            index[:] = n
        else:
            index = np.where(exact >= int(band.min_score.scaleb(FINE_PLACES)), n, index)
    fail = outcome.fail_grade or labels[-1]
    return np.where(vetoed, fail, np.array(labels, dtype=object)[index])


def stars_array(
    outcome: Outcome,
    codes: list[str],
    sections: np.ndarray,
    points: np.ndarray,
    majors: np.ndarray,
) -> list[tuple[str, ...]]:
    """`star_lit` for many sheets at once: rows × `codes` columns of integers in units of
    10^-FINE_PLACES. Returns each row's lit star labels, in the rubric's order."""
    lit_by_star = []
    for star in outcome.stars:
        if star.section not in codes:
            continue
        k = codes.index(star.section)
        # score ≥ threshold × points, exactly: both sides in Python integers.
        score = np.asarray(sections)[:, k].astype(object) * 10**FINE_PLACES
        need = np.asarray(points)[:, k].astype(object) * int(star.threshold.scaleb(FINE_PLACES))
        lit = (np.asarray(points)[:, k] > 0) & (score >= need).astype(bool)
        if outcome.stars_blocked_by_major_deduction:
            lit &= np.asarray(majors)[:, k] <= 0
        lit_by_star.append((star.label, lit))
    size = len(sections)
    if not lit_by_star:
        return [()] * size
    return [tuple(label for label, lit in lit_by_star if lit[i]) for i in range(size)]


def parse_outcome(raw: Any, *, sections: tuple[Section, ...], problems: Problems) -> Outcome:
    if not isinstance(raw, Mapping):
        problems.add(_OUTCOME, "bad_value", "outcome 须为映射")
        return Outcome()
    for key in raw:
        if key not in ("grades", "fail_grade", "stars", "stars_blocked_by_major_deduction"):
            problems.add(_OUTCOME, "unknown_key", f"含未知字段“{key}”")
    grades = _grades(raw.get("grades") or [], problems)
    fail_grade = raw.get("fail_grade")
    labels = [band.label for band in grades]
    if fail_grade is not None and fail_grade not in labels:
        problems.add(_OUTCOME, "unknown_grade", f"fail_grade“{fail_grade}”不在等次之中")
    blocked = raw.get("stars_blocked_by_major_deduction", True)
    if not isinstance(blocked, bool):
        problems.add(_OUTCOME, "not_boolean", "stars_blocked_by_major_deduction 须为 true/false")
        blocked = True
    stars = _stars(raw.get("stars") or [], sections, problems)
    return Outcome(
        grades=grades, fail_grade=fail_grade, stars=stars, stars_blocked_by_major_deduction=blocked
    )


def _decimal(raw: Any, what: str, problems: Problems) -> Decimal | None:
    try:
        return parse_decimal(raw)
    except NumberError as err:
        problems.add(_OUTCOME, err.code, f"{what}：{err.message}")
        return None


def _grades(raw: list, problems: Problems) -> tuple[GradeBand, ...]:
    bands: list[GradeBand] = []
    for entry in raw:
        if not isinstance(entry, Mapping) or not entry.get("label"):
            problems.add(_OUTCOME, "bad_grade", "每个等次须有 label")
            continue
        low = None if entry.get("min") is None else _decimal(entry["min"], "等次下限", problems)
        bands.append(GradeBand(label=str(entry["label"]), min_score=low))
    if not bands:
        return ()
    mins = [b.min_score for b in bands[:-1]]
    if any(m is None for m in mins):
        problems.add(_OUTCOME, "bad_grade", "只有最后一个等次可以不设下限")
    elif any(a <= b for a, b in itertools.pairwise(mins)):
        problems.add(_OUTCOME, "grade_order", "等次须按下限从高到低排列")
    if bands[-1].min_score is not None:
        problems.add(_OUTCOME, "bad_grade", "最后一个等次不设下限（其余情形）")
    if len({b.label for b in bands}) != len(bands):
        problems.add(_OUTCOME, "duplicate_code", "等次名称重复")
    return tuple(bands)


def _stars(raw: list, sections: tuple[Section, ...], problems: Problems) -> tuple[StarRule, ...]:
    codes = {s.code for s in sections if s.points > 0}
    stars = []
    for entry in raw:
        if not isinstance(entry, Mapping) or entry.get("section") is None:
            problems.add(_OUTCOME, "bad_star", "每颗星须指明 section")
            continue
        section = str(entry["section"])
        if section not in codes:
            problems.add(_OUTCOME, "unknown_section", f"星级所指部分“{section}”不存在或无分值")
        threshold = _decimal(entry.get("threshold"), f"“{section}”星级门槛", problems) or ZERO
        if not ZERO < threshold <= 1:
            problems.add(_OUTCOME, "bad_threshold", f"“{section}”星级门槛须在0到1之间（占比）")
        label = str(entry.get("label") or section)
        stars.append(StarRule(section=section, label=label, threshold=threshold))
    return tuple(stars)
